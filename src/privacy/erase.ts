import crypto from 'node:crypto';
import { and, eq, ne, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import {
  consents,
  conversations,
  deletionRequests,
  inboundEvents,
  outboundMessages,
  ticketEvents,
  tickets,
} from '../db/schema';
import { CONTACT_NOTICE } from '../conversation/catalogue';
import { cancelClocks } from '../sla/ticket-clocks';
import { CLOSED } from '../tickets/statuses';
import { maskPhonesIn } from './mask';

/** A one-way name for a Zalo user: rows stay countable after erasure without saying whose they were. */
export const subjectHash = (zaloUserId: string) =>
  crypto.createHash('sha256').update(`cchc-subject:${zaloUserId}`).digest('hex').slice(0, 32);

/**
 * A data-subject deletion (Law 91/2025): contact details and what the citizen wrote are erased;
 * tickets stay for the province's statistics, anonymised (phones masked, no link to the Zalo user);
 * open ones are withdrawn. The request and its outcome are recorded without the personal data.
 */
export async function erasePersonalData(tx: Db, zaloUserId: string, at: Date): Promise<Record<string, number>> {
  const anon = `deleted:${subjectHash(zaloUserId)}`;
  const open = await tx
    .update(tickets)
    .set({ status: 'da_huy', updatedAt: at })
    .where(and(eq(tickets.zaloUserId, zaloUserId), notInArray(tickets.status, [...CLOSED])))
    .returning({ id: tickets.id });
  if (open.length)
    await tx
      .insert(ticketEvents)
      .values(
        open.map((t) => ({ ticketId: t.id, type: 'withdrawn', actor: 'citizen', data: { reason: 'data_deletion' } })),
      );
  // Their reminders go with the sla sweep.
  await cancelClocks(
    tx,
    open.map((t) => t.id),
    at,
  );
  const all = await tx
    .select({ id: tickets.id, content: tickets.content })
    .from(tickets)
    .where(eq(tickets.zaloUserId, zaloUserId));
  for (const t of all)
    await tx
      .update(tickets)
      .set({ content: maskPhonesIn(t.content), zaloUserId: anon, ratingComment: null, updatedAt: at })
      .where(eq(tickets.id, t.id));
  const inbound = await tx
    .update(inboundEvents)
    .set({ raw: '{"erased":true}', payload: null, zaloUserId: null })
    .where(eq(inboundEvents.zaloUserId, zaloUserId))
    .returning({ id: inboundEvents.id });
  const outbound = await tx
    .update(outboundMessages)
    .set({ message: { erased: true }, zaloUserId: anon, updatedAt: at })
    // Pending messages still go out (they are being sent right now); their rows are erased at the next request.
    .where(and(eq(outboundMessages.zaloUserId, zaloUserId), ne(outboundMessages.status, 'pending')))
    .returning({ id: outboundMessages.id });
  await tx
    .update(conversations)
    .set({ contactName: null, contactPhone: null, stateData: {}, updatedAt: sql`now()` })
    .where(eq(conversations.zaloUserId, zaloUserId));
  await tx.insert(consents).values({
    zaloUserId,
    purpose: CONTACT_NOTICE.purpose,
    noticeVersion: CONTACT_NOTICE.version,
    answer: 'withdrawn',
    answeredAt: at,
  });
  const summary = {
    tickets: all.length,
    withdrawn: open.length,
    inboundEvents: inbound.length,
    outboundMessages: outbound.length,
  };
  await tx
    .insert(deletionRequests)
    .values({ subjectHash: subjectHash(zaloUserId), requestedAt: at, completedAt: at, summary });
  return summary;
}
