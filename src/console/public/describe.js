// Codes as staff read them: routing decisions, classifier scores, audit events, actors and event details,
// all in Vietnamese from the catalogue. Anything unknown gets a generic Vietnamese label; nothing throws.
import { dataTable, fmtDateTime, fmtPercent, h } from './dom.js';
import { CATEGORIES, CLOCK_LABELS, KINDS, t } from './i18n.js';
import { unitName } from './units.js';

const L = t.labels;
const has = (o, k) => !!o && typeof o === 'object' && Object.hasOwn(o, k);
const pick = (table, code, fallback) => (typeof code === 'string' && has(table, code) ? table[code] : fallback);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export const modeLabel = (mode) => pick(L.modes, mode, L.unknown);
export const eventLabel = (type) => pick(t.events, type, L.unknownEvent);
export const messageStatus = (status) => pick(L.messageStatus, status, L.messageStatus.unknown);
export const inboundLabel = (event) => pick(L.inbound, event, L.inbound.other);
/** A commune by its UBND unit's name (the configuration names communes through their units). */
export const communeName = (code) => (code ? unitName(`ubnd-${code}`) : t.ticket.none);

/** "system" → Hệ thống; "user:12:a@b.vn" → a@b.vn; anything else → a generic label. */
export function actorLabel(actor) {
  if (typeof actor !== 'string') return L.actors.unknown;
  const user = /^user:\d+:(.+)$/.exec(actor);
  if (user) return user[1];
  return pick(L.actors, actor, L.actors.unknown);
}

/** Why the ticket went where it went, from the stored decision (the stored English reason is not shown). */
export function routingReason(r, unitCode) {
  if (!r || typeof r !== 'object') return L.reasons.none;
  const rule = r.rule && typeof r.rule === 'object' ? r.rule : null;
  const reason = typeof r.reason === 'string' ? r.reason : '';
  if (r.mode === 'emergency') return L.reasons.emergency;
  if (r.mode === 'triage') {
    if (rule?.id) return L.reasons.ruleToTriage(rule.id);
    if (reason.startsWith('no rule')) return L.reasons.noRule;
    return L.reasons.lowConfidence;
  }
  if (r.mode === 'auto') {
    const parts = [rule?.id ? L.reasons.rule(rule.id, rule.matchedKeyword) : null];
    const unit = r.unit ?? unitCode;
    if (r.needsCommune) parts.push(L.reasons.needsCommune);
    else if (unit) parts.push(L.reasons.toUnit(unitName(unit)));
    if (r.communeSource === 'text') parts.push(L.reasons.communeFromText);
    if (r.communeSource === 'location') parts.push(L.reasons.communeFromLocation);
    return parts.filter(Boolean).join('; ') || L.reasons.none;
  }
  return L.reasons.none;
}

/** [label, "87,5%"] per classifier confidence, in the catalogue's order (the database keeps no key order). */
export function scoreList(scores) {
  if (!scores || typeof scores !== 'object') return [];
  const order = Object.keys(L.scores);
  const rank = (k) => (order.includes(k) ? order.indexOf(k) : order.length);
  return Object.entries(scores)
    .filter(([, v]) => typeof v === 'number')
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([k, v]) => [pick(L.scores, k, L.unknownScore), fmtPercent(v)]);
}

function classificationText(c) {
  if (!c || typeof c !== 'object') return null;
  return [
    c.category ? pick(CATEGORIES, c.category, L.unknown) : null,
    c.kind ? pick(KINDS, c.kind, L.unknown) : null,
    c.conduct ? t.ticket.conduct : null,
    c.emergency ? t.ticket.emergency : null,
  ]
    .filter(Boolean)
    .join(', ');
}

/** One detail value as text, by what its key holds. */
function valueText(key, v, type) {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return v ? L.yes : L.no;
  if (['unit', 'unitCode', 'fromUnit', 'toUnit'].includes(key)) return unitName(v);
  if ((key === 'from' || key === 'to') && typeof v === 'object') return classificationText(v);
  if ((key === 'from' || key === 'to') && type !== 'duplicate_attached') return unitName(v);
  if (key === 'copyTo') return Array.isArray(v) && v.length ? v.map(unitName).join(', ') : null;
  if (key === 'commune') return communeName(v);
  if (key === 'mode') return modeLabel(v);
  if (key === 'classification') return classificationText(v);
  if (key === 'category') return pick(CATEGORIES, v, L.unknown);
  if (key === 'reason') return /^[a-z_]+$/.test(v) ? pick(L.reasons, v, L.reasons.other) : String(v);
  if (key === 'channel') return pick(L.channels, v, L.unknown);
  if (key === 'kind') return pick(L.followupKinds, v, L.unknown);
  if (key === 'clock') return pick(CLOCK_LABELS, v, L.unknown);
  if (key === 'clocks') return Array.isArray(v) ? v.map((c) => pick(CLOCK_LABELS, c, L.unknown)).join(', ') : null;
  if (key === 'laws') return Array.isArray(v) ? v.map((x) => pick(L.laws, x, L.unknown)).join(', ') : null;
  if (key === 'days') return L.days(v);
  if (key === 'previous') return typeof v === 'object' && typeof v.title === 'string' ? `«${v.title}»` : null;
  if (key === 'dueAt' && typeof v === 'object')
    return Object.entries(v)
      .map(([k, d]) => `${pick(CLOCK_LABELS, k, L.unknown)} ${fmtDateTime(d)}`)
      .join(', ');
  if (typeof v === 'string' && ISO.test(v)) return fmtDateTime(v);
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return null;
}

/** Event data as "Nhãn: giá trị" parts; internal keys (ids, versions, who) are left out. */
export function eventDetails(type, data) {
  if (!data || typeof data !== 'object') return '';
  // The classifier's own reason is English and technical: its decision is described by the other keys.
  const skip = type === 'classified' ? new Set(['reason']) : new Set();
  const out = [];
  for (const [k, v] of Object.entries(data)) {
    if (skip.has(k) || !has(L.keys, k)) continue;
    const text = valueText(k, v, type);
    if (text) out.push(`${L.keys[k]}: ${text}`);
  }
  return out.join(' · ');
}

/** An audit trail (a ticket's, or the canned answers'): when, who, what, the details in words. */
export function auditTable(events) {
  return dataTable(
    t.ticket.auditCols,
    events.map((e) => [
      fmtDateTime(e.at),
      actorLabel(e.actor),
      eventLabel(e.type),
      h('td', { class: 'wrap' }, eventDetails(e.type, e.data)),
    ]),
    { class: 'audit' },
  );
}
