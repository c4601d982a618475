import { and, asc, desc, eq, gte, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { conversations, tickets } from '../db/schema';
import type { Actor } from '../auth/roles';
import { maskPhonesIn } from '../privacy/mask';
import { ApiError } from '../api/errors';
import type { Ticket } from '../tickets/create-ticket';
import { parseTrackingCode, withoutTrackingCode } from '../tickets/tracking-code';
import { checkUnitFilter, scopeOf } from './scope';
import { CLOSED, HOTLINE_UNIT, STATUSES, statusLabel, type Status } from '../tickets/statuses';
import { withDeadlines } from './clock-view';
import { AT_HOTLINE_SQL, deadlineKey, isOpen, openDue, openWhere } from './open-tickets';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const day = z.iso.date().or(z.iso.datetime({ offset: true }));

export const listQuerySchema = z.object({
  status: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(STATUSES as [Status, ...Status[]])))
    .optional(),
  unit: z.string().min(1).max(80).optional(),
  category: z.string().min(1).max(80).optional(),
  commune: z.string().min(1).max(80).optional(),
  overdue: flag.optional(),
  conduct: flag.optional(),
  q: z.string().trim().min(1).max(200).optional(),
  from: day.optional(),
  to: day.optional(),
  /**
   * newest or oldest received first; deadline: tickets still owed to the citizen, nearest answer
   * deadline first (the unit workspace), those with no deadline last.
   */
  order: z.enum(['newest', 'oldest', 'deadline']).default('newest'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

type Order = ListQuery['order'];
const INFINITY = 'infinity';

/**
 * Keyset position: (received_at, id), or (answer deadline, id) in deadline order. Pages stay fast
 * however deep, and stable under new arrivals.
 */
export const encodeKey = (at: Date, id: number) => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');

export function encodeCursor(t: Pick<Ticket, 'receivedAt' | 'answerDueAt' | 'id'>, order: Order = 'newest'): string {
  const at = order === 'deadline' ? (t.answerDueAt?.toISOString() ?? INFINITY) : t.receivedAt.toISOString();
  return Buffer.from(`${at}|${t.id}`).toString('base64url');
}

export function decodeCursor(c: string): { at: Date | typeof INFINITY; id: number } {
  const [at, id] = Buffer.from(c, 'base64url').toString().split('|');
  const d = at === INFINITY ? INFINITY : new Date(at ?? '');
  if ((d !== INFINITY && Number.isNaN(d.getTime())) || !/^\d+$/.test(id ?? ''))
    throw new ApiError('BAD_REQUEST', 'Invalid cursor.');
  return { at: d, id: Number(id) };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);
const endOfDay = (s: string) => (s.length === 10 ? new Date(`${s}T23:59:59.999+07:00`) : new Date(s));
const startOfDay = (s: string) => (s.length === 10 ? new Date(`${s}T00:00:00+07:00`) : new Date(s));

export function overdueCondition(now: Date): SQL {
  return sql`${openDue()} < ${now}`;
}

export function filterConditions(actor: Actor, f: ListQuery, now = new Date()): SQL[] {
  const unit = checkUnitFilter(actor, f.unit);
  const c: Array<SQL | undefined> = [scopeOf(actor)];
  if (unit) c.push(eq(tickets.unitCode, unit));
  if (f.status?.length) c.push(inArray(tickets.status, f.status));
  if (f.category) c.push(eq(tickets.category, f.category));
  if (f.commune) c.push(eq(tickets.communeCode, f.commune));
  if (f.conduct !== undefined) c.push(eq(tickets.conduct, f.conduct));
  if (f.overdue === true) c.push(overdueCondition(now));
  if (f.overdue === false) c.push(or(gte(tickets.answerDueAt, now), inArray(tickets.status, [...CLOSED])));
  if (f.from) c.push(gte(tickets.receivedAt, startOfDay(f.from)));
  if (f.to) c.push(lt(tickets.receivedAt, new Date(endOfDay(f.to).getTime() + 1)));
  if (f.order === 'deadline') c.push(isOpen());
  if (f.q) {
    const like = `%${escapeLike(f.q.normalize('NFC'))}%`;
    // A whole code is looked up by its unique key; trigrams of codes, which all look alike, are slow.
    const code = withoutTrackingCode(f.q) === '' ? parseTrackingCode(f.q) : null;
    c.push(or(ilike(tickets.content, like), code ? eq(tickets.trackingCode, code) : ilike(tickets.trackingCode, like)));
  }
  return c.filter((x): x is SQL => !!x);
}

function keyset(order: Order, cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const { at, id } = decodeCursor(cursor);
  if (order === 'deadline') {
    const due = at === INFINITY ? sql`'infinity'::timestamptz` : sql`${at}`;
    return sql`(${deadlineKey()}, ${tickets.id}) > (${due}, ${id})`;
  }
  if (at === INFINITY) throw new ApiError('BAD_REQUEST', 'Invalid cursor.');
  return order === 'newest'
    ? sql`(${tickets.receivedAt}, ${tickets.id}) < (${at}, ${id})`
    : sql`(${tickets.receivedAt}, ${tickets.id}) > (${at}, ${id})`;
}

function orderOf(order: Order): SQL[] {
  if (order === 'deadline') return [asc(deadlineKey()), asc(tickets.id)];
  const dir = order === 'newest' ? desc : asc;
  return [dir(tickets.receivedAt), dir(tickets.id)];
}

/** The list view of a ticket: no Zalo id, phone numbers masked in the preview. */
export function ticketSummary(t: Ticket, now = new Date()) {
  return {
    trackingCode: t.trackingCode,
    status: t.status,
    statusLabel: statusLabel(t.status),
    category: t.category,
    kind: t.kind,
    conduct: t.conduct,
    emergency: t.emergency,
    unitCode: t.unitCode,
    communeCode: t.communeCode,
    receivedAt: t.receivedAt,
    forwardDueAt: t.forwardDueAt,
    answerDueAt: t.answerDueAt,
    answeredAt: t.answeredAt,
    overdue: !!t.answerDueAt && t.answerDueAt < now && !CLOSED.includes(t.status),
    preview: maskPhonesIn(t.content).slice(0, 280),
  };
}
export type TicketSummary = ReturnType<typeof ticketSummary>;

function page<T extends Ticket>(rows: T[], limit: number, order: Order) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1]!, order) : null };
}

/** Raw rows, for exports that need more than the summary. */
export async function listTicketRows(db: Db, actor: Actor, f: ListQuery, now = new Date()) {
  const where = and(...filterConditions(actor, f, now), keyset(f.order, f.cursor));
  const rows = await db
    .select()
    .from(tickets)
    .where(where)
    .orderBy(...orderOf(f.order))
    .limit(f.limit + 1);
  return page(rows, f.limit, f.order);
}

export async function listTickets(db: Db, actor: Actor, f: ListQuery, now = new Date()) {
  const p = await listTicketRows(db, actor, f, now);
  return { items: await withDeadlines(db, p.items, (t) => ticketSummary(t, now), now), nextCursor: p.nextCursor };
}

/**
 * The operators' inbox, oldest first: tickets the classifier did not route with confidence (routing
 * mode other than 'auto', or no unit), tickets units sent back, and tickets whose conversation was
 * handed over to a person (conversation state 'handoff', set by the dialogue).
 *
 * Two index-backed halves (tickets_triage_idx; conversations_handoff_idx) each give their first page
 * and the union is cut to one: an OR across the join would walk the whole history oldest first.
 */
export async function listTriage(db: Db, f: { cursor?: string; limit: number }, now = new Date()) {
  const after = f.cursor ? decodeCursor(f.cursor) : undefined;
  if (after?.at === INFINITY) throw new ApiError('BAD_REQUEST', 'Invalid cursor.');
  const past = (alias: string) =>
    after ? sql`and (${sql.raw(alias)}.received_at, ${sql.raw(alias)}.id) > (${after.at}, ${after.id})` : sql``;
  const n = f.limit + 1;
  const ids = (await db.execute(sql`
    select id from (
      (select t.id, t.received_at from tickets t
        where t.status in (${AT_HOTLINE_SQL}) and t.merged_into_id is null
          and (coalesce(t.routing->>'mode', 'none') <> 'auto' or t.unit_code is null
               or t.unit_code = ${HOTLINE_UNIT} or t.status = 'tra_ve_tong_dai') ${past('t')}
        order by t.received_at, t.id limit ${n})
      union
      (select t.id, t.received_at from conversations c join tickets t on t.conversation_id = c.id
        where c.state = 'handoff' and ${openWhere('t')} ${past('t')}
        order by t.received_at, t.id limit ${n})
    ) x order by received_at, id limit ${n}`)) as unknown as { rows: Array<{ id: number | string }> };
  const wanted = ids.rows.map((r) => Number(r.id));
  const rows = wanted.length
    ? await db
        .select({ t: tickets, conversationState: conversations.state })
        .from(tickets)
        .innerJoin(conversations, eq(conversations.id, tickets.conversationId))
        .where(inArray(tickets.id, wanted))
        .orderBy(asc(tickets.receivedAt), asc(tickets.id))
    : [];
  const p = page(
    rows.map((r) => Object.assign(r.t, { conversationState: r.conversationState })),
    f.limit,
    'oldest',
  );
  return {
    items: await withDeadlines(
      db,
      p.items,
      (t) => {
        const r = (t.routing ?? {}) as Record<string, unknown>;
        const rule = r.rule as { id?: string; matchedKeyword?: string } | null | undefined;
        return {
          ...ticketSummary(t, now),
          handoff: t.conversationState === 'handoff',
          routing: {
            mode: r.mode ?? null,
            reason: r.reason ?? null,
            scores: r.scores ?? null,
            rule: rule ? { id: rule.id ?? null, matchedKeyword: rule.matchedKeyword ?? null } : null,
            classification: r.classification ?? null,
          },
        };
      },
      now,
    ),
    nextCursor: p.nextCursor,
  };
}
