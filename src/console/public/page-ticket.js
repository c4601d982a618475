// One ticket: what the citizen wrote, the clock, the conversation, attachments and the audit trail.
import { actionPanel, windowNotice } from './actions.js';
import { api } from './api.js';
import { dataTable, fmtDateTime, h, replace } from './dom.js';
import { t } from './i18n.js';
import { routingInfo } from './page-triage.js';
import { badges, clock } from './tickets.js';

const HOTLINE = ['admin', 'operator'];

const safeUrl = (u) => (typeof u === 'string' && /^https?:\/\//i.test(u) ? u : null);

function transcript(items) {
  return h(
    'ol',
    { class: 'transcript' },
    items.map((m) =>
      h(
        'li',
        { class: `msg ${m.direction === 'in' ? 'msg-in' : 'msg-out'}${m.opensThisTicket ? ' opens' : ''}` },
        h(
          'span',
          { class: 'msg-who' },
          m.direction === 'in' ? t.ticket.citizen : t.ticket.bot,
          ' · ',
          fmtDateTime(m.at),
          m.status ? ` · ${m.status}` : '',
        ),
        h(
          'span',
          { class: 'msg-text' },
          m.text ?? (m.attachments ? `[${t.ticket.attachments}: ${m.attachments}]` : `[${m.event}]`),
        ),
      ),
    ),
  );
}

function attachmentList(items) {
  if (!items.length) return h('p', { class: 'muted' }, t.ticket.noAttachments);
  return h(
    'ul',
    { class: 'attachments' },
    items.map((a) => {
      const url = safeUrl(a.url);
      const label = `${a.type}${a.name ? ` · ${a.name}` : ''}`;
      return h('li', {}, url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label) : label);
    }),
  );
}

/** Event data as short "key: value" text; never HTML. */
function eventData(data) {
  if (!data || typeof data !== 'object') return '';
  return Object.entries(data)
    .filter(([k]) => k !== 'by')
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' · ');
}

function auditTrail(events) {
  return dataTable(
    t.ticket.auditCols,
    events.map((e) => [
      fmtDateTime(e.at),
      e.actor,
      t.events[e.type] ?? e.type,
      h('td', { class: 'wrap' }, eventData(e.data)),
    ]),
    { class: 'audit' },
  );
}

export async function render(main, { me, showError }) {
  const code = decodeURIComponent(location.pathname.split('/').pop() ?? '');
  const units = HOTLINE.includes(me.role)
    ? await api.get('/units').then(
        (r) => r.units,
        () => [],
      )
    : [];
  async function load() {
    let d;
    try {
      d = await api.get(`/tickets/${encodeURIComponent(code)}`);
    } catch (e) {
      return showError(e);
    }
    const s = d.ticket;
    document.title = `${s.trackingCode} · ${t.appName}`;
    const handoff = d.conversation?.state === 'handoff';
    replace(
      main,
      h('h1', { class: 'ticket-title' }, s.trackingCode),
      h(
        'div',
        { class: 'card-head' },
        badges(s),
        handoff ? h('span', { class: 'badge warn' }, t.ticket.handoff) : null,
      ),
      h(
        'section',
        { class: 'clock-box' },
        h('h2', {}, t.ticket.clock),
        h('p', {}, `${t.ticket.received}: ${fmtDateTime(s.receivedAt)}`),
        s.forwardDueAt ? h('p', {}, `${t.ticket.forwardDue}: ${fmtDateTime(s.forwardDueAt)}`) : null,
        h('p', {}, clock(s)),
        h('p', {}, `${t.ticket.unit}: ${s.unitCode ?? t.ticket.none}`),
        windowNotice(d.window),
      ),
      h(
        'section',
        {},
        h('h2', {}, t.ticket.content),
        h('p', { class: 'content', id: 'ticket-content' }, s.content ?? ''),
      ),
      s.publicAnswer
        ? h('section', {}, h('h2', {}, t.ticket.publicAnswer), h('p', { class: 'content' }, s.publicAnswer))
        : null,
      HOTLINE.includes(me.role) || me.role === 'inspector'
        ? h('section', {}, h('h2', {}, t.ticket.classifier), routingInfo(s.routing))
        : null,
      actionPanel(s, { me, units, window: d.window, handoff }, () => load()),
      h('section', {}, h('h2', {}, t.ticket.transcript), transcript(d.transcript)),
      h('section', {}, h('h2', {}, t.ticket.attachments), attachmentList(d.attachments)),
      h('section', {}, h('h2', {}, t.ticket.audit), auditTrail(d.events)),
    );
  }
  await load();
}
