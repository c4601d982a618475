import { and, asc, desc, eq, gte, ilike, inArray, isNull, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { conversations, tickets } from '../db/schema';
import type { Actor } from '../auth/roles';
import { maskPhonesIn } from '../privacy/mask';
import { ApiError } from '../api/errors';
import type { Ticket } from '../tickets/create-ticket';
import { withDeadlines } from './clock-view';
import { checkUnitFilter, scopeOf } from './scope';
import { AT_HOTLINE, CLOSED, HOTLINE_UNIT, STATUSES, statusLabel, type Status } from '../tickets/statuses';

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
  /** Oldest first (by deadline work) instead of newest first. */
  order: z.enum(['newest', 'oldest']).default('newest'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** Keyset position (received_at, id): pages stay fast however deep, and stable under new arrivals. */
export function encodeCursor(t: Pick<Ticket, 'receivedAt' | 'id'>): string {
  return encodeKey(t.receivedAt, t.id);
}

export const encodeKey = (at: Date, id: number) => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');

export function decodeCursor(c: string): { at: Date; id: number } {
  const [at, id] = Buffer.from(c, 'base64url').toString().split('|');
  const d = new Date(at ?? '');
  if (Number.isNaN(d.getTime()) || !/^\d+$/.test(id ?? '')) throw new ApiError('BAD_REQUEST', 'Invalid cursor.');
  return { at: d, id: Number(id) };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);
const endOfDay = (s: string) => (s.length === 10 ? new Date(`${s}T23:59:59.999+07:00`) : new Date(s));
const startOfDay = (s: string) => (s.length === 10 ? new Date(`${s}T00:00:00+07:00`) : new Date(s));

export function overdueCondition(now: Date): SQL {
  return and(lt(tickets.answerDueAt, now), notInArray(tickets.status, [...CLOSED]))!;
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
  if (f.q) {
    const like = `%${escapeLike(f.q.normalize('NFC'))}%`;
    c.push(or(ilike(tickets.content, like), ilike(tickets.trackingCode, like)));
  }
  return c.filter((x): x is SQL => !!x);
}

function keyset(order: 'newest' | 'oldest', cursor: string | undefined): SQL | undefined {
  if (!cursor) return undefined;
  const { at, id } = decodeCursor(cursor);
  return order === 'newest'
    ? sql`(${tickets.receivedAt}, ${tickets.id}) < (${at}, ${id})`
    : sql`(${tickets.receivedAt}, ${tickets.id}) > (${at}, ${id})`;
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
    overdue: !!t.answerDueAt && t.answerDueAt < now && !CLOSED.includes(t.status),
    preview: maskPhonesIn(t.content).slice(0, 280),
  };
}
export type TicketSummary = ReturnType<typeof ticketSummary>;

async function page<T extends Ticket>(rows: T[], limit: number) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1]!) : null };
}

/** Raw rows, for exports that need more than the summary. */
export async function listTicketRows(db: Db, actor: Actor, f: ListQuery, now = new Date()) {
  const where = and(...filterConditions(actor, f, now), keyset(f.order, f.cursor));
  const dir = f.order === 'newest' ? desc : asc;
  const rows = await db
    .select()
    .from(tickets)
    .where(where)
    .orderBy(dir(tickets.receivedAt), dir(tickets.id))
    .limit(f.limit + 1);
  return page(rows, f.limit);
}

export async function listTickets(db: Db, actor: Actor, f: ListQuery, now = new Date()) {
  const p = await listTicketRows(db, actor, f, now);
  return { items: await withDeadlines(db, p.items, (t) => ticketSummary(t, now), now), nextCursor: p.nextCursor };
}

/**
 * The operators' inbox, oldest first: tickets the classifier did not route with confidence (routing
 * mode other than 'auto', or no unit), tickets units sent back, and tickets whose conversation was
 * handed over to a person (conversation state 'handoff', set by the dialogue).
 */
export async function listTriage(db: Db, f: { cursor?: string; limit: number }, now = new Date()) {
  const notAuto = sql`coalesce(${tickets.routing}->>'mode', 'none') <> 'auto'`;
  const waiting = and(
    inArray(tickets.status, [...AT_HOTLINE]),
    isNull(tickets.mergedIntoId),
    or(notAuto, isNull(tickets.unitCode), eq(tickets.unitCode, HOTLINE_UNIT), eq(tickets.status, 'tra_ve_tong_dai')),
  );
  const handoff = and(eq(conversations.state, 'handoff'), notInArray(tickets.status, [...CLOSED]));
  const rows = await db
    .select({ t: tickets, conversationState: conversations.state })
    .from(tickets)
    .innerJoin(conversations, eq(conversations.id, tickets.conversationId))
    .where(and(or(waiting, handoff), keyset('oldest', f.cursor)))
    .orderBy(asc(tickets.receivedAt), asc(tickets.id))
    .limit(f.limit + 1);
  const p = await page(
    rows.map((r) => Object.assign(r.t, { conversationState: r.conversationState })),
    f.limit,
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
