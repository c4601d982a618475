import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client';
import { tickets } from '../../src/db/schema';
import { ev, eventually, type TestHotline } from './hotline';

/**
 * Drives the citizen's dialogue the way a person would, for tests whose subject is something else
 * (webhook, outbound, crashes): the complaint, the summary, "có", the acknowledgement with its code.
 * The complaint must name everything routing needs (no commune question).
 */
export async function completeIntake(
  h: TestHotline,
  db: Database['db'],
  user: string,
  text: string,
  ms = 20000,
): Promise<typeof tickets.$inferSelect> {
  const before = h.zalo.sentLog.list(user).length;
  const saidSince = (re: RegExp) =>
    h.zalo.sentLog
      .list(user)
      .slice(before)
      .some((m) => re.test(String(m.message.text ?? '')));
  await h.post(ev.text(user, text));
  await eventually(() => saidSince(/kiểm tra lại thông tin/), `the summary for ${user}`, ms);
  await h.post(ev.text(user, 'có'));
  await eventually(() => saidSince(/Mã tra cứu/), `the acknowledgement for ${user}`, ms);
  return eventually(
    async () => (await db.select().from(tickets).where(eq(tickets.zaloUserId, user)))[0],
    `the ticket of ${user}`,
    ms,
  );
}

/** Waits until nothing more is sent for a while, then returns what the citizen received. */
export async function drained(h: TestHotline, user: string, quietMs = 600) {
  let last = -1;
  while (h.zalo.sentLog.list(user).length !== last) {
    last = h.zalo.sentLog.list(user).length;
    await new Promise((r) => setTimeout(r, quietMs));
  }
  return h.zalo.sentLog.list(user);
}
