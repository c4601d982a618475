// The unit's workspace: its open tickets, nearest deadline first.
import { lazyActions } from './actions.js';
import { api, qs } from './api.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { ticketCard } from './tickets.js';

const AT_UNIT = 'da_phan_loai,da_chuyen_don_vi,dang_xu_ly,cho_bo_sung';
const PAGE_MAX = 10;

export async function render(main, { me, showError }) {
  const list = h('div', { class: 'ticket-list', id: 'unit-list' });
  replace(main, h('h1', {}, t.unit.title), h('p', { class: 'muted' }, t.unit.intro), list);

  async function load() {
    list.replaceChildren(h('p', { class: 'muted' }, t.loading));
    try {
      // The API pages by arrival; the deadline order is applied over the whole open set here.
      const items = [];
      let cursor;
      for (let i = 0; i < PAGE_MAX; i++) {
        const page = await api.get(`/tickets${qs({ status: AT_UNIT, order: 'oldest', limit: 200, cursor })}`);
        items.push(...page.items);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      const due = (s) => (s.answerDueAt ? new Date(s.answerDueAt).getTime() : Infinity);
      items.sort((a, b) => due(a) - due(b));
      list.replaceChildren();
      if (!items.length) list.append(h('p', { class: 'muted' }, t.unit.empty));
      for (const s of items) {
        list.append(ticketCard(s, [lazyActions(s.trackingCode, { me, units: [] }, () => load())]));
      }
    } catch (e) {
      showError(e);
    }
  }
  await load();
}
