import { eq } from 'drizzle-orm';
import type { Database } from '../src/db/client';
import { consents, conversations, tickets } from '../src/db/schema';
import { loadFacts } from '../src/conversation/facts';
import { seedTicket } from './support/console-fixture';
import { dbKinds, openTestDb, resetDb } from './support/harness';

/* loadFacts reads tickets and consent in one statement with json_agg: the same facts on both drivers. */
describe.each(dbKinds())('loadFacts on %s', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDb(kind);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(() => resetDb(database));

  const conversationOf = async (user: string) =>
    (await database.db.select().from(conversations).where(eq(conversations.zaloUserId, user)))[0]!;

  test("a citizen's tickets newest first, answered time and rating, and the latest consent answer", async () => {
    const db = database.db;
    const first = await seedTicket(db, { unit: 'so-tu-phap', content: 'một' });
    const user = first.zaloUserId;
    const answeredAt = new Date('2026-11-30T08:15:30.123Z');
    await db.update(tickets).set({ status: 'da_co_ket_qua', answeredAt, rating: 4 }).where(eq(tickets.id, first.id));
    const other = await seedTicket(db, { unit: 'so-tu-phap', content: 'hai', status: 'dang_xu_ly' });
    const [second] = await db.update(tickets).set({ zaloUserId: user }).where(eq(tickets.id, other.id)).returning();
    const base = { zaloUserId: user, purpose: 'contact_callback', noticeVersion: 'v2', answeredAt };
    await db.insert(consents).values([
      { ...base, answer: 'granted' },
      { ...base, answer: 'withdrawn' },
    ]);
    const facts = await loadFacts(db, await conversationOf(user));
    expect(facts).toEqual({
      tickets: [
        { id: second!.id, code: second!.trackingCode, status: 'dang_xu_ly', answeredAt: null, rated: false },
        {
          id: first.id,
          code: first.trackingCode,
          status: 'da_co_ket_qua',
          answeredAt: answeredAt.getTime(),
          rated: true,
        },
      ],
      hasPhone: false,
      consent: 'withdrawn',
    });
  });

  test('a citizen with no tickets and no consent', async () => {
    const [conversation] = await database.db.insert(conversations).values({ zaloUserId: '123' }).returning();
    expect(await loadFacts(database.db, conversation!)).toEqual({ tickets: [], hasPhone: false, consent: null });
  });
});
