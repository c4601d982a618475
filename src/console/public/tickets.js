// A ticket as a card in any list: code, status, labels, deadline, and the citizen's words as text.
import { daysLeft, fmtDateTime, h, isoDay } from './dom.js';
import { CATEGORIES, KINDS, OPEN, STATUS_LABELS, t } from './i18n.js';
import { unitName } from './units.js';

export const ticketHref = (code) => `/console/tickets/${encodeURIComponent(code)}`;

/** Days the answer came after its deadline: the answer clock's count, else Vietnamese calendar days (0: on time). */
function daysLate(s) {
  const d = s.deadline;
  if (d?.kind === 'answer' && typeof d.daysLate === 'number') return d.daysLate;
  if (!s.answerDueAt) return null;
  const answered = new Date(s.answeredAt);
  const due = new Date(s.answerDueAt);
  if (answered <= due) return 0;
  const days = (Date.parse(isoDay(answered)) - Date.parse(isoDay(due))) / 86_400_000;
  return Math.max(1, days);
}

/** A ticket that is done: when it was answered and whether on time, or that no deadline runs any more. */
function closedClock(s) {
  if (!s.answeredAt) return h('span', { class: 'clock done' }, t.labels.closedClock);
  const late = daysLate(s);
  return h(
    'span',
    { class: late ? 'clock done late' : 'clock done' },
    `${t.labels.answeredAt}: ${fmtDateTime(s.answeredAt)}`,
    late === null ? '' : ` · ${late > 0 ? t.labels.late(late) : t.labels.onTime}`,
  );
}

export function clock(s) {
  if (!OPEN.includes(s.status)) return closedClock(s);
  if (!s.answerDueAt) return h('span', { class: 'clock' }, `${t.ticket.due}: ${t.ticket.none}`);
  const d = daysLeft(s.answerDueAt);
  const cls = s.overdue ? 'clock overdue' : d <= 3 ? 'clock soon' : 'clock';
  return h(
    'span',
    { class: cls },
    `${t.ticket.due}: ${fmtDateTime(s.answerDueAt)}`,
    s.overdue ? ` · ${t.ticket.overdue}` : ` · ${t.ticket.dueIn(d)}`,
  );
}

export function badges(s) {
  return [
    h('span', { class: `badge status-${s.status}` }, STATUS_LABELS[s.status] ?? s.statusLabel ?? t.labels.unknown),
    s.category ? h('span', { class: 'badge' }, CATEGORIES[s.category] ?? t.labels.unknown) : null,
    s.kind ? h('span', { class: 'badge' }, KINDS[s.kind] ?? t.labels.unknown) : null,
    s.conduct ? h('span', { class: 'badge warn' }, t.ticket.conduct) : null,
    s.emergency ? h('span', { class: 'badge danger' }, t.ticket.emergency) : null,
  ];
}

export function ticketCard(s, extra = []) {
  return h(
    'article',
    { class: 'ticket-card', dataset: { code: s.trackingCode } },
    h(
      'div',
      { class: 'card-head' },
      h('a', { href: ticketHref(s.trackingCode), class: 'code' }, s.trackingCode),
      badges(s),
    ),
    h('p', { class: 'preview' }, s.preview ?? s.content ?? ''),
    h(
      'div',
      { class: 'meta' },
      h('span', {}, `${t.ticket.received}: ${fmtDateTime(s.receivedAt)}`),
      h('span', {}, `${t.ticket.unit}: ${unitName(s.unitCode)}`),
      clock(s),
    ),
    extra,
  );
}

export const moreButton = (onClick) => h('button', { type: 'button', class: 'more', onclick: onClick }, t.list.more);
