// The operators' inbox: oldest first, with what the classifier thought and which rule fired.
import { lazyActions } from './actions.js';
import { api, qs } from './api.js';
import { h, replace } from './dom.js';
import { CATEGORIES, KINDS, t } from './i18n.js';
import { moreButton, ticketCard } from './tickets.js';

export function routingInfo(r) {
  if (!r) return null;
  const scores = r.scores && typeof r.scores === 'object' ? Object.entries(r.scores) : [];
  const cls = r.classification ?? {};
  return h(
    'dl',
    { class: 'routing' },
    h('dt', {}, t.ticket.mode),
    h('dd', {}, r.mode ?? t.ticket.none, r.reason ? ` · ${r.reason}` : ''),
    h('dt', {}, t.ticket.rule),
    h('dd', {}, r.rule?.id ?? t.ticket.none, r.rule?.matchedKeyword ? ` («${r.rule.matchedKeyword}»)` : ''),
    h('dt', {}, t.ticket.classifier),
    h(
      'dd',
      {},
      [
        cls.category ? (CATEGORIES[cls.category] ?? cls.category) : null,
        cls.kind ? (KINDS[cls.kind] ?? cls.kind) : null,
      ]
        .filter(Boolean)
        .join(' · ') || t.ticket.none,
    ),
    h('dt', {}, t.ticket.scores),
    h(
      'dd',
      { class: 'scores' },
      scores.length
        ? scores.map(([k, v]) =>
            h('span', { class: 'score' }, `${k}: ${typeof v === 'number' ? v.toFixed(2) : JSON.stringify(v)}`),
          )
        : t.ticket.none,
    ),
  );
}

export async function render(main, { me, showError }) {
  const units = await api.get('/units').then(
    (r) => r.units,
    () => [],
  );
  const list = h('div', { class: 'ticket-list', id: 'triage-list' });
  const footer = h('div', { class: 'list-footer' });
  replace(main, h('h1', {}, t.triage.title), h('p', { class: 'muted' }, t.triage.intro), list, footer);

  function item(s) {
    return ticketCard(s, [
      s.handoff ? h('p', { class: 'badge warn' }, t.ticket.handoff) : null,
      routingInfo(s.routing),
      lazyActions(s.trackingCode, { me, units }, () => reload()),
    ]);
  }

  async function load(cursor) {
    try {
      const page = await api.get(`/triage${qs({ cursor, limit: 50 })}`);
      if (!cursor && !page.items.length) list.append(h('p', { class: 'muted' }, t.triage.empty));
      list.append(...page.items.map(item));
      replace(footer, page.nextCursor ? moreButton(() => load(page.nextCursor)) : null);
    } catch (e) {
      showError(e);
    }
  }
  async function reload() {
    list.replaceChildren();
    await load();
  }
  await load();
}
