// One ticket: what the citizen wrote, the clock, the conversation, attachments and the audit trail.
import { actionPanel, windowNotice } from './actions.js';
import { api } from './api.js';
import { auditTable, inboundLabel, messageStatus } from './describe.js';
import { fmtDateTime, h, replace } from './dom.js';
import { AT_HOTLINE, t } from './i18n.js';
import { routingInfo } from './page-triage.js';
import { badges, clock } from './tickets.js';
import { unitName, units } from './units.js';

const HOTLINE = ['admin', 'operator'];

/** Only our own download path: a file link never points anywhere else. */
const safeUrl = (u) => (typeof u === 'string' && /^\/api\/tickets\/[^/]+\/attachments\/\d+$/.test(u) ? u : null);
const L = t.labels;

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
          m.status ? ` · ${messageStatus(m.status)}` : '',
        ),
        h(
          'span',
          { class: 'msg-text' },
          m.text ?? (m.attachments ? `[${t.ticket.attachments}: ${m.attachments}]` : `[${inboundLabel(m.event)}]`),
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
      const url = safeUrl(a.download);
      const state = Object.hasOwn(L.attachmentStatus, a.status) ? ` (${L.attachmentStatus[a.status]})` : '';
      const label = `${L.attachmentKinds[a.kind] ?? L.attachmentKinds.other}${a.name ? ` · ${a.name}` : ''}${state}`;
      return h('li', {}, url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label) : label);
    }),
  );
}

/** The forwarding deadline matters only while the hotline holds the ticket; once at a unit, say so. */
function forwarding(s) {
  if (AT_HOTLINE.includes(s.status))
    return s.forwardDueAt ? h('p', {}, `${t.ticket.forwardDue}: ${fmtDateTime(s.forwardDueAt)}`) : null;
  if (s.status === 'da_phan_loai') return h('p', { class: 'muted', id: 'auto-routed' }, L.autoRouted);
  return null;
}

export async function render(main, { me, showError }) {
  const code = decodeURIComponent(location.pathname.split('/').pop() ?? '');
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
        forwarding(s),
        h('p', {}, clock(s)),
        h('p', { id: 'ticket-unit' }, `${t.ticket.unit}: ${unitName(s.unitCode)}`),
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
        ? h('section', {}, h('h2', {}, t.ticket.classifier), routingInfo(s.routing, s))
        : null,
      actionPanel(s, { me, units: units(), window: d.window, handoff }, () => load()),
      h('section', {}, h('h2', {}, t.ticket.transcript), transcript(d.transcript)),
      h('section', {}, h('h2', {}, t.ticket.attachments), attachmentList(d.attachments)),
      h('section', {}, h('h2', {}, t.ticket.audit), auditTable(d.events)),
    );
  }
  await load();
}
