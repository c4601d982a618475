import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { consents, conversations, tickets } from '../db/schema';
import type { Facts } from './machine/types';

/** What the machine may know of the database, read inside the step's transaction. */
export async function loadFacts(tx: Db, conversation: typeof conversations.$inferSelect): Promise<Facts> {
  const mine = await tx
    .select({
      id: tickets.id,
      code: tickets.trackingCode,
      status: tickets.status,
      answeredAt: tickets.answeredAt,
      rating: tickets.rating,
    })
    .from(tickets)
    .where(eq(tickets.zaloUserId, conversation.zaloUserId))
    .orderBy(desc(tickets.id))
    .limit(20);
  const [consent] = await tx
    .select({ answer: consents.answer })
    .from(consents)
    .where(eq(consents.zaloUserId, conversation.zaloUserId))
    .orderBy(desc(consents.id))
    .limit(1);
  return {
    tickets: mine.map((t) => ({
      id: t.id,
      code: t.code,
      status: t.status,
      answeredAt: t.answeredAt?.getTime() ?? null,
      rated: t.rating !== null,
    })),
    hasPhone: !!conversation.contactPhone,
    consent: (consent?.answer as Facts['consent']) ?? null,
  };
}
