// The unit's workspace: its open tickets, nearest deadline first, a page at a time (the API orders them).
import { lazyActions } from './actions.js';
import { api, qs } from './api.js';
import { h, replace } from './dom.js';
import { AT_UNIT, t } from './i18n.js';
import { moreButton, ticketCard } from './tickets.js';

const PAGE = 50;

export async function render(main, { me, showError }) {
  const list = h('div', { class: 'ticket-list', id: 'unit-list' });
  const footer = h('div', { class: 'list-footer' });
  replace(main, h('h1', {}, t.unit.title), h('p', { class: 'muted' }, t.unit.intro), list, footer);

  async function load(cursor) {
    try {
      // order=deadline: tickets still owed to the citizen, nearest answer deadline first, by keyset.
      const page = await api.get(
        `/tickets${qs({ status: AT_UNIT.join(','), order: 'deadline', limit: PAGE, cursor })}`,
      );
      if (!cursor) list.replaceChildren();
      if (!cursor && !page.items.length) list.append(h('p', { class: 'muted' }, t.unit.empty));
      list.append(...page.items.map((s) => ticketCard(s, [lazyActions(s.trackingCode, { me, units: [] }, reload)])));
      replace(footer, page.nextCursor ? moreButton(() => load(page.nextCursor)) : null);
    } catch (e) {
      showError(e);
    }
  }
  async function reload() {
    await load();
  }
  await load();
}
