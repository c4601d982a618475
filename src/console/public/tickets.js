// A ticket as a card in any list: code, status, labels, deadline, and the citizen's words as text.
import { daysLeft, fmtDateTime, h } from './dom.js';
import { CATEGORIES, KINDS, STATUS_LABELS, t } from './i18n.js';

export const ticketHref = (code) => `/console/tickets/${encodeURIComponent(code)}`;

export function clock(s) {
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
    h('span', { class: `badge status-${s.status}` }, STATUS_LABELS[s.status] ?? s.statusLabel ?? s.status),
    s.category ? h('span', { class: 'badge' }, CATEGORIES[s.category] ?? s.category) : null,
    s.kind ? h('span', { class: 'badge' }, KINDS[s.kind] ?? s.kind) : null,
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
      h('span', {}, `${t.ticket.unit}: ${s.unitCode ?? t.ticket.none}`),
      clock(s),
    ),
    extra,
  );
}

export const moreButton = (onClick) => h('button', { type: 'button', class: 'more', onclick: onClick }, t.list.more);
