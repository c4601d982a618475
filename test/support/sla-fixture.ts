import { eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { conversations, inboundEvents, ticketClocks } from '../../src/db/schema';
import { createTicket } from '../../src/tickets/create-ticket';

let n = 0;

/** A ticket opened through the real intake code (with its clocks), for a unit of the test's choosing. */
export async function newTicket(db: Db, receivedAt: Date, unitCode = 'so-xay-dung') {
  n += 1;
  const user = `sla-${process.pid}-${n}`;
  const [c] = await db.insert(conversations).values({ zaloUserId: user }).returning();
  const [e] = await db
    .insert(inboundEvents)
    .values({ dedupeKey: `sla-${process.pid}-${n}`, eventName: 'user_send_text', raw: '{}', receivedAt })
    .returning();
  const t = await db.transaction((tx) =>
    createTicket(tx, { conversationId: c!.id, zaloUserId: user, sourceEventId: e!.id, content: 'x', receivedAt }),
  );
  await db.update(ticketClocks).set({ unitCode }).where(eq(ticketClocks.ticketId, t.id));
  return t;
}

/** A Vietnamese local time: at('2026-02-13 10:00'). */
export const at = (s: string) => new Date(`${s.replace(' ', 'T')}:00+07:00`);
