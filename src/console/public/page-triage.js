// The operators' inbox: oldest first, with what the classifier thought and which rule fired.
import { lazyActions } from './actions.js';
import { api, qs } from './api.js';
import { h, replace } from './dom.js';
import { modeLabel, routingReason, scoreList } from './describe.js';
import { CATEGORIES, KINDS, t } from './i18n.js';
import { moreButton, ticketCard } from './tickets.js';
import { units } from './units.js';

/** What the classifier decided and why, in words; s (the ticket) supplies the unit when the decision has none. */
export function routingInfo(r, s = {}) {
  if (!r) return null;
  const scores = scoreList(r.scores);
  const cls = r.classification ?? {};
  return h(
    'dl',
    { class: 'routing' },
    h('dt', {}, t.ticket.mode),
    h('dd', { class: 'routing-mode' }, modeLabel(r.mode)),
    h('dt', {}, t.ticket.reason),
    h('dd', { class: 'routing-reason' }, routingReason(r, s.unitCode)),
    h('dt', {}, t.labels.keys.classification),
    h(
      'dd',
      {},
      [
        cls.category ? (CATEGORIES[cls.category] ?? t.labels.unknown) : null,
        cls.kind ? (KINDS[cls.kind] ?? t.labels.unknown) : null,
      ]
        .filter(Boolean)
        .join(' · ') || t.ticket.none,
    ),
    h('dt', {}, t.ticket.scores),
    h(
      'dd',
      { class: 'scores' },
      scores.length
        ? // Spaces between them too, so copied or read-aloud text does not run together.
          scores.flatMap(([label, pct], i) => [i ? ' ' : null, h('span', { class: 'score' }, `${label}: ${pct}`)])
        : t.ticket.none,
    ),
  );
}

export async function render(main, { me, showError }) {
  const list = h('div', { class: 'ticket-list', id: 'triage-list' });
  const footer = h('div', { class: 'list-footer' });
  replace(main, h('h1', {}, t.triage.title), h('p', { class: 'muted' }, t.triage.intro), list, footer);

  function item(s) {
    return ticketCard(s, [
      s.handoff ? h('p', { class: 'badge warn' }, t.ticket.handoff) : null,
      routingInfo(s.routing, s),
      lazyActions(s.trackingCode, { me, units: units() }, () => reload()),
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
