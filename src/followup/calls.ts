import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { conversations, progressUpdates, tickets } from '../db/schema';

/** Citizens an operator should phone: updates, answers and rating requests no message could carry. */
export async function callList(db: Db, limit = 500) {
  return db
    .select({
      id: progressUpdates.id,
      ticketId: tickets.id,
      trackingCode: tickets.trackingCode,
      kind: progressUpdates.kind,
      seq: progressUpdates.seq,
      reason: progressUpdates.errorCode,
      dueAt: progressUpdates.dueAt,
      status: tickets.status,
      unitCode: tickets.unitCode,
      phone: conversations.contactPhone,
      name: conversations.contactName,
    })
    .from(progressUpdates)
    .innerJoin(tickets, eq(tickets.id, progressUpdates.ticketId))
    .innerJoin(conversations, eq(conversations.id, tickets.conversationId))
    .where(and(eq(progressUpdates.channel, 'call'), eq(progressUpdates.status, 'to_call')))
    .orderBy(asc(progressUpdates.dueAt), asc(progressUpdates.id))
    .limit(limit);
}

/** The operator made the call: the entry leaves the list. Returns the ticket id, or undefined if not listed. */
export async function markCalled(db: Db, id: number, by: string, at = new Date()): Promise<number | undefined> {
  const [row] = await db
    .update(progressUpdates)
    .set({ status: 'called', doneAt: at, doneBy: by, updatedAt: at })
    .where(and(eq(progressUpdates.id, id), eq(progressUpdates.channel, 'call'), eq(progressUpdates.status, 'to_call')))
    .returning({ ticketId: progressUpdates.ticketId });
  return row?.ticketId;
}
