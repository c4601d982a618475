import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ticketEvents, tickets, trackingCounters } from '../db/schema';
import { initialDeadlines } from '../sla/deadlines';
import { formatTrackingCode, vietnamYear } from './tracking-code';

export type Ticket = typeof tickets.$inferSelect;

export interface NewTicket {
  conversationId: number;
  zaloUserId: string;
  sourceEventId: number;
  content: string;
  receivedAt: Date;
}

/** Next number in the year's sequence; the row lock serialises concurrent intakes. */
async function nextSeq(tx: Db, year: number): Promise<number> {
  const rows = await tx
    .insert(trackingCounters)
    .values({ year, lastSeq: 1 })
    .onConflictDoUpdate({ target: trackingCounters.year, set: { lastSeq: sql`${trackingCounters.lastSeq} + 1` } })
    .returning({ seq: trackingCounters.lastSeq });
  return rows[0]!.seq;
}

/**
 * Opens a ticket for an inbound message, once: a redelivered or re-run event finds the ticket it
 * already opened (unique source_event_id). Call inside the event's transaction.
 */
export async function createTicketOnce(tx: Db, input: NewTicket): Promise<{ ticket: Ticket; created: boolean }> {
  const existing = await tx.select().from(tickets).where(eq(tickets.sourceEventId, input.sourceEventId)).limit(1);
  if (existing[0]) return { ticket: existing[0], created: false };
  const year = vietnamYear(input.receivedAt);
  const trackingCode = formatTrackingCode(year, await nextSeq(tx, year));
  const due = initialDeadlines(input.receivedAt);
  const [ticket] = await tx
    .insert(tickets)
    .values({ ...input, trackingCode, status: 'moi_tiep_nhan', ...due })
    .returning();
  await tx.insert(ticketEvents).values({
    ticketId: ticket!.id,
    type: 'received',
    actor: 'citizen',
    data: {
      trackingCode,
      sourceEventId: input.sourceEventId,
      forwardDueAt: due.forwardDueAt,
      answerDueAt: due.answerDueAt,
    },
  });
  return { ticket: ticket!, created: true };
}
