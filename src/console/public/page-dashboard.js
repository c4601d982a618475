// The inspectors' figures. Every number links to the ticket list filtered to the tickets behind it.
import { api, qs } from './api.js';
import { communeName, eventLabel } from './describe.js';
import { dataTable, field, fmtDateTime, fmtDay, fmtNumber, fmtPercent, h, isoDay, replace } from './dom.js';
import { CATEGORIES, STATUS_LABELS, t } from './i18n.js';
import { ticketHref } from './tickets.js';
import { unitName } from './units.js';

const listLink = (filter, label) => h('a', { href: `/console/tickets${qs(filter)}`, class: 'figure' }, String(label));
const unitOf = (code) => (code ? unitName(code) : t.dashboard.noUnit);

function table(cols, rows) {
  return rows.length ? dataTable(cols, rows) : h('p', { class: 'muted' }, t.dashboard.empty);
}

/** The days a trend bucket covers, within the period: its figure links to exactly those tickets. */
function bucketRange(bucket, period) {
  const from = isoDay(new Date(bucket));
  const end = new Date(`${from}T00:00:00Z`);
  if (period.by === 'week') end.setUTCDate(end.getUTCDate() + 6);
  if (period.by === 'month') end.setUTCMonth(end.getUTCMonth() + 1, 0);
  const to = end.toISOString().slice(0, 10);
  return { from: from < period.from ? period.from : from, to: to > period.to ? period.to : to };
}

function trendSection(title, keyLabel, rows, filter, labelOf, period) {
  return h(
    'section',
    {},
    h('h2', {}, title),
    table(
      [t.dashboard.bucket, keyLabel, t.dashboard.count],
      rows.map((r) => [
        fmtDay(r.bucket),
        r.key ? labelOf(r.key) : '—',
        listLink({ ...bucketRange(r.bucket, period), ...(r.key ? { [filter]: r.key } : {}) }, r.count),
      ]),
    ),
  );
}

export async function render(main, { showError }) {
  const params = new URLSearchParams(location.search);
  const today = new Date();
  const period = {
    from: params.get('from') ?? isoDay(new Date(today.getTime() - 90 * 86_400_000)),
    to: params.get('to') ?? isoDay(today),
    by: params.get('by') ?? 'month',
  };
  const form = h(
    'form',
    { class: 'filters', method: 'get', action: '/console/dashboard' },
    field(t.list.from, h('input', { type: 'date', name: 'from', value: period.from, required: true }))[0],
    field(t.list.to, h('input', { type: 'date', name: 'to', value: period.to, required: true }))[0],
    field(
      t.dashboard.by,
      h(
        'select',
        { name: 'by' },
        ['day', 'week', 'month'].map((b) => h('option', { value: b, selected: b === period.by }, t.dashboard[b])),
      ),
    )[0],
    h('button', { type: 'submit', class: 'primary' }, t.dashboard.show),
  );
  const range = { from: period.from, to: period.to };
  const csv = h(
    'a',
    { class: 'button', id: 'csv', href: `/api/tickets.csv${qs(range)}`, download: 'phan-anh.csv' },
    t.dashboard.csv,
  );
  const xlsx = h(
    'a',
    { class: 'button', id: 'xlsx', href: `/api/dashboard.xlsx${qs(range)}`, download: 'bang-theo-doi.xlsx' },
    t.dashboard.xlsx,
  );
  const body = h('div', { id: 'dashboard' }, h('p', { class: 'muted' }, t.loading));
  replace(main, h('h1', {}, t.dashboard.title), form, h('p', {}, csv, ' ', xlsx), body);

  let d;
  try {
    d = await api.get(`/dashboard${qs(period)}`);
  } catch (e) {
    return showError(e);
  }
  const unitFilter = (u) => (u ? { unit: u } : {});
  replace(
    body,
    h(
      'section',
      {},
      h('h2', {}, t.dashboard.onTime),
      table(
        [t.ticket.unit, t.dashboard.answered, t.dashboard.onTimeCount, t.dashboard.rate, t.dashboard.openOverdue],
        d.onTime.map((r) => [
          listLink({ ...range, ...unitFilter(r.unit) }, unitOf(r.unit)),
          listLink({ ...range, ...unitFilter(r.unit), status: 'da_co_ket_qua,da_cong_khai,dong' }, r.answered),
          r.onTime,
          fmtPercent(r.onTimeRate),
          listLink({ ...range, ...unitFilter(r.unit), overdue: 'true' }, r.openOverdue),
        ]),
      ),
    ),
    h(
      'section',
      {},
      h('h2', {}, t.dashboard.dueSoon),
      table(
        [t.ticket.unit, t.dashboard.overdue, t.dashboard.maxDaysLate, t.dashboard.avgDaysLate, t.dashboard.soon],
        d.dueSoonAndOverdue.map((r) => [
          listLink(unitFilter(r.unit), unitOf(r.unit)),
          listLink({ ...unitFilter(r.unit), overdue: 'true' }, r.overdue),
          listLink({ ...unitFilter(r.unit), overdue: 'true' }, r.overdue ? t.labels.days(r.maxDaysLate) : '—'),
          r.overdue ? t.labels.days(fmtNumber(r.avgDaysLate, 1, 0)) : '—',
          listLink(
            { ...unitFilter(r.unit), overdue: 'false', status: 'da_phan_loai,da_chuyen_don_vi,dang_xu_ly,cho_bo_sung' },
            r.dueSoon,
          ),
        ]),
      ),
    ),
    h(
      'section',
      {},
      h('h2', {}, t.dashboard.conduct),
      h('p', {}, listLink({ ...range, conduct: 'true' }, `${d.conductReports.length}`)),
      table(
        [t.ticket.code, t.ticket.unit, t.list.status, t.ticket.received, t.dashboard.lastAction],
        d.conductReports.map((r) => [
          h('a', { href: ticketHref(r.trackingCode) }, r.trackingCode),
          unitOf(r.unit),
          STATUS_LABELS[r.status] ?? t.labels.unknown,
          fmtDateTime(r.receivedAt),
          r.lastAction ? `${eventLabel(r.lastAction)} (${fmtDateTime(r.lastActionAt)})` : t.ticket.none,
        ]),
      ),
    ),
    h(
      'section',
      {},
      h('h2', {}, t.dashboard.satisfaction),
      table(
        [t.ticket.unit, t.dashboard.ratings, t.dashboard.average],
        d.satisfaction.map((r) => [
          listLink({ ...range, ...unitFilter(r.unit) }, unitOf(r.unit)),
          r.ratings,
          fmtNumber(r.average, 2),
        ]),
      ),
    ),
    trendSection(
      t.dashboard.trendsCategory,
      t.ticket.category,
      d.trendsByCategory,
      'category',
      (k) => CATEGORIES[k] ?? t.labels.unknown,
      period,
    ),
    trendSection(t.dashboard.trendsCommune, t.labels.keys.commune, d.trendsByCommune, 'commune', communeName, period),
  );
}
