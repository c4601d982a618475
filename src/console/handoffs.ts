import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { conversations, inboundEvents, tickets } from '../db/schema';
import { OPEN } from '../tickets/statuses';
import type { Actor } from '../auth/roles';
import { auditConversation } from './audit';
import { windowState } from './cs-window';
import { decodeCursor, encodeKey } from './ticket-list';

/**
 * Conversations an operator holds or was asked for ("gặp tổng đài viên", a confused loop), oldest
 * request first — with or without a ticket: a citizen who asked for a person before writing a
 * report must reach one too. Operators see who wrote (they answer them); no one else lists these.
 */
export async function listHandoffs(db: Db, actor: Actor, f: { cursor?: string; limit: number }, now = new Date()) {
  const after = f.cursor ? decodeCursor(f.cursor) : undefined;
  const rows = await db
    .select()
    .from(conversations)
    .where(
      and(
        eq(conversations.state, 'handoff'),
        after
          ? sql`(coalesce(${conversations.handoffAt}, ${conversations.updatedAt}), ${conversations.id}) > (${after.at}, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(asc(sql`coalesce(${conversations.handoffAt}, ${conversations.updatedAt})`), asc(conversations.id))
    .limit(f.limit + 1);
  const page = rows.slice(0, f.limit);
  const users = page.map((c) => c.zaloUserId);
  const open = users.length
    ? await db
        .select({ zaloUserId: tickets.zaloUserId, trackingCode: tickets.trackingCode, status: tickets.status })
        .from(tickets)
        .where(and(inArray(tickets.zaloUserId, users), inArray(tickets.status, [...OPEN])))
        .orderBy(desc(tickets.id))
    : [];
  const items = [];
  for (const c of page) {
    const [last] = await db
      .select({ payload: inboundEvents.payload, receivedAt: inboundEvents.receivedAt })
      .from(inboundEvents)
      .where(and(eq(inboundEvents.zaloUserId, c.zaloUserId), eq(inboundEvents.eventName, 'user_send_text')))
      .orderBy(desc(inboundEvents.id))
      .limit(1);
    const text = (last?.payload as { message?: { text?: unknown } } | null)?.message?.text;
    items.push({
      conversationId: c.id,
      handoffAt: c.handoffAt ?? c.updatedAt,
      reason: c.handoffReason,
      window: windowState(c.lastUserMessageAt, now),
      lastMessage: typeof text === 'string' ? { text: text.slice(0, 500), at: last!.receivedAt } : null,
      openTickets: open.filter((t) => t.zaloUserId === c.zaloUserId).map((t) => t.trackingCode),
    });
  }
  // The list shows what citizens wrote: looking at it is recorded.
  await auditConversation(
    db,
    actor,
    page.map((c) => c.id),
    'viewed',
  );
  const lastRow = page[page.length - 1];
  return {
    items,
    nextCursor: rows.length > f.limit && lastRow ? encodeKey(lastRow.handoffAt ?? lastRow.updatedAt, lastRow.id) : null,
  };
}
