// The filtered ticket list (/console/tickets?unit=…&from=…): where every dashboard figure leads.
import { api, qs } from './api.js';
import { field, h, replace } from './dom.js';
import { CATEGORIES, STATUS_LABELS, t } from './i18n.js';
import { moreButton, ticketCard } from './tickets.js';
import { units } from './units.js';

const KEYS = ['q', 'status', 'unit', 'category', 'commune', 'from', 'to', 'overdue', 'conduct'];

function select(name, options, value) {
  return h(
    'select',
    { name },
    h('option', { value: '' }, t.list.all),
    Object.entries(options).map(([code, label]) => h('option', { value: code, selected: code === value }, label)),
  );
}

export async function render(main, { me, showError }) {
  const params = new URLSearchParams(location.search);
  const filters = Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? '']));
  const unitOptions = Object.fromEntries(units().map((u) => [u.code, u.name]));
  const isUnit = me.role === 'unit_officer' || me.role === 'unit_head';

  const inputs = {
    q: field(t.list.q, h('input', { type: 'search', name: 'q', value: filters.q }))[0],
    status: field(t.list.status, select('status', STATUS_LABELS, filters.status))[0],
    unit: isUnit ? null : field(t.list.unit, select('unit', unitOptions, filters.unit))[0],
    category: field(t.list.category, select('category', CATEGORIES, filters.category))[0],
    commune: field(t.list.commune, h('input', { type: 'text', name: 'commune', value: filters.commune }))[0],
    from: field(t.list.from, h('input', { type: 'date', name: 'from', value: filters.from }))[0],
    to: field(t.list.to, h('input', { type: 'date', name: 'to', value: filters.to }))[0],
  };
  const check = (name, label) =>
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', name, value: 'true', checked: filters[name] === 'true' }),
      label,
    );
  const form = h(
    'form',
    { class: 'filters', method: 'get', action: '/console/tickets' },
    Object.values(inputs),
    check('overdue', t.list.overdue),
    check('conduct', t.list.conduct),
    h('button', { type: 'submit', class: 'primary' }, t.list.apply),
  );
  const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
  const csv = h(
    'a',
    { href: `/api/tickets.csv${qs(query)}`, class: 'button', id: 'csv', download: 'phan-anh.csv' },
    t.list.csv,
  );
  const xlsx = h(
    'a',
    { href: `/api/tickets.xlsx${qs(query)}`, class: 'button', id: 'xlsx', download: 'phan-anh.xlsx' },
    t.list.xlsx,
  );
  const list = h('div', { class: 'ticket-list', id: 'ticket-list' });
  const footer = h('div', { class: 'list-footer' });
  replace(
    main,
    h('h1', {}, t.list.title),
    h(
      'details',
      { class: 'filter-box', open: window.matchMedia('(min-width: 900px)').matches || Object.keys(query).length > 0 },
      h('summary', {}, t.list.filters),
      form,
    ),
    h('p', {}, csv, ' ', xlsx),
    list,
    footer,
  );

  async function load(cursor) {
    try {
      const page = await api.get(`/tickets${qs({ ...query, cursor })}`);
      if (!cursor && !page.items.length) list.append(h('p', { class: 'muted' }, t.list.empty));
      list.append(...page.items.map((s) => ticketCard(s)));
      replace(footer, page.nextCursor ? moreButton(() => load(page.nextCursor)) : null);
    } catch (e) {
      showError(e);
    }
  }
  await load();
}
