import { eq, sql } from 'drizzle-orm';
import type { Database } from '../src/db/client';
import { conversations, tickets } from '../src/db/schema';
import type { Actor } from '../src/auth/roles';
import { AT_HOTLINE, CLOSED, STATUSES } from '../src/tickets/statuses';
import { listQuerySchema, listTickets, listTriage } from '../src/console/ticket-list';
import { onTimeByUnit, satisfactionByUnit, trends } from '../src/console/dashboard';
import { dbKinds, openTestDb, resetDb } from './support/harness';
import { seedTicket } from './support/console-fixture';

const admin: Actor = { userId: 1, email: 'a@x.vn', role: 'admin', unitCode: null };
const officer: Actor = { userId: 2, email: 'o@x.vn', role: 'unit_officer', unitCode: 'so-tnmt' };
const DAY = 86_400_000;
type Rows<T> = { rows: T[] };

describe.each(dbKinds())('migration 0010 (console performance) on %s', (kind) => {
  let database: Database;
  const db = () => database.db;
  const rows = async <T>(q: ReturnType<typeof sql>) => ((await db().execute(q)) as unknown as Rows<T>).rows;

  beforeAll(async () => {
    database = await openTestDb(kind);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await resetDb(database);
  });

  it('creates pg_trgm and partial indexes whose predicates list exactly CLOSED and AT_HOTLINE', async () => {
    expect(await rows(sql`select extname from pg_extension where extname = 'pg_trgm'`)).toHaveLength(1);
    const defs = await rows<{ indexname: string; indexdef: string }>(
      sql`select indexname, indexdef from pg_indexes where tablename = 'tickets'`,
    );
    const def = (name: string) => defs.find((d) => d.indexname === name)?.indexdef ?? '';
    const named = (d: string) => STATUSES.filter((s) => d.includes(`'${s}'`)).sort();
    for (const name of [
      'tickets_open_unit_deadline_idx',
      'tickets_open_deadline_idx',
      'tickets_open_due_idx',
      'tickets_open_conversation_idx',
    ])
      expect(named(def(name))).toEqual([...CLOSED].sort());
    expect(named(def('tickets_triage_idx'))).toEqual([...AT_HOTLINE].sort());
    expect(def('tickets_content_trgm_idx')).toContain('gin_trgm_ops');
  });

  it('lists open tickets by deadline, none last, in keyset pages; closed ones are left out', async () => {
    const now = Date.now();
    const due = [5, 1, 3].map((d) => new Date(now + d * DAY));
    const made = [];
    for (const d of due) made.push(await seedTicket(db(), { unit: 'so-tnmt', content: 'đất đai', dueAt: d }));
    const none = await seedTicket(db(), { unit: 'so-tnmt', content: 'không hạn' });
    await db().update(tickets).set({ answerDueAt: null }).where(eq(tickets.id, none.id));
    await seedTicket(db(), { unit: 'so-tnmt', content: 'đã xong', status: 'dong', dueAt: new Date(now) });
    await seedTicket(db(), { unit: 'so-khac', content: 'đơn vị khác', dueAt: new Date(now) });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const p = await listTickets(db(), officer, listQuerySchema.parse({ order: 'deadline', limit: '2', cursor }));
      seen.push(...p.items.map((i) => i.trackingCode));
      cursor = p.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([made[1]!, made[2]!, made[0]!, none].map((t) => t.trackingCode));
  });

  it('pages the triage inbox across waiting and handed-over tickets, oldest first', async () => {
    const at = (m: number) => new Date(Date.UTC(2026, 0, 1) + m * 60_000);
    const a = await seedTicket(db(), { unit: null, content: 'a', status: 'moi_tiep_nhan', receivedAt: at(1) });
    const b = await seedTicket(db(), { unit: 'so-tnmt', content: 'b', status: 'dang_xu_ly', receivedAt: at(2) });
    await db().update(conversations).set({ state: 'handoff' }).where(eq(conversations.id, b.conversationId));
    await seedTicket(db(), { unit: 'so-tnmt', content: 'auto', status: 'moi_tiep_nhan', receivedAt: at(3) });
    const c = await seedTicket(db(), { unit: 'so-tnmt', content: 'c', status: 'tra_ve_tong_dai', receivedAt: at(4) });
    const d = await seedTicket(db(), { unit: 'so-tnmt', content: 'd', status: 'moi_tiep_nhan', mode: 'suggest' });
    const first = await listTriage(db(), { limit: 2 });
    expect(first.items.map((i) => [i.trackingCode, i.handoff])).toEqual([
      [a.trackingCode, false],
      [b.trackingCode, true],
    ]);
    const second = await listTriage(db(), { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((i) => i.trackingCode)).toEqual([c.trackingCode, d.trackingCode]);
    expect(second.nextCursor).toBeNull();
  });

  it('finds Vietnamese text and tracking codes by substring', async () => {
    const t = await seedTicket(db(), { unit: 'so-tnmt', content: 'Đường vào khu dân cư xuống cấp, nhiều ổ gà' });
    await seedTicket(db(), { unit: 'so-tnmt', content: 'Hồ sơ hộ tịch' });
    const find = async (q: string) =>
      (await listTickets(db(), admin, listQuerySchema.parse({ q }))).items.map((i) => i.trackingCode);
    expect(await find('ổ gà')).toEqual([t.trackingCode]);
    expect(await find(t.trackingCode.slice(3))).toEqual([t.trackingCode]);
    expect(await find('100%_')).toEqual([]);
  });

  it('keeps the daily rollup equal to a rebuild through inserts, answers, ratings, transfers and deletes', async () => {
    const received = new Date('2026-03-02T03:00:00Z');
    const t1 = await seedTicket(db(), { unit: 'so-tnmt', content: 'x', receivedAt: received });
    const t2 = await seedTicket(db(), { unit: 'so-tnmt', content: 'y', receivedAt: received });
    const t3 = await seedTicket(db(), { unit: null, content: 'z', receivedAt: received });
    await db()
      .update(tickets)
      .set({ answeredAt: new Date('2026-03-05T03:00:00Z'), communeCode: 'xa-1' })
      .where(eq(tickets.id, t1.id));
    await db()
      .update(tickets)
      .set({ answeredAt: new Date('2026-04-30T03:00:00Z'), rating: 4, ratedAt: new Date('2026-05-01T03:00:00Z') })
      .where(eq(tickets.id, t2.id));
    await db().update(tickets).set({ status: 'dang_xu_ly', unitCode: 'so-khac' }).where(eq(tickets.id, t3.id));
    const extra = await seedTicket(db(), { unit: 'so-khac', content: 'gỡ', receivedAt: received });
    await db().delete(tickets).where(eq(tickets.id, extra.id));

    const p = { from: '2026-03-01', to: '2026-05-31', by: 'month' as const };
    const onTime = await onTimeByUnit(db(), p);
    expect(onTime.map((r) => [r.unit, r.answered, r.onTime])).toEqual([
      ['so-khac', 0, 0],
      ['so-tnmt', 2, 1],
    ]);
    expect(await satisfactionByUnit(db(), p)).toEqual([{ unit: 'so-tnmt', ratings: 1, average: 4 }]);
    const byCommune = await trends(db(), p, 'commune');
    expect(byCommune.map((r) => [r.key, r.count])).toEqual([
      [null, 2],
      ['xa-1', 1],
    ]);

    const snapshot = sql`select day::text, dim, key, received, answered, on_time, rated, rating_sum
      from ticket_stats_daily where received <> 0 or rated <> 0 order by dim, day, key`;
    const kept = await rows(snapshot);
    await db().execute(sql`select ticket_stats_rebuild()`);
    expect(await rows(snapshot)).toEqual(kept);
  });
});
