import { Queue, Worker } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../src/db/client';
import { notifications, slaAlerts, ticketClocks, ticketEvents } from '../src/db/schema';
import { bullConnection, createRedis } from '../src/redis/connection';
import { QUEUE, slaJobId, type SlaJob } from '../src/queues/queues';
import { defaultCalendar } from '../src/sla/calendar-data';
import type { SlaContext } from '../src/sla/deadlines';
import { loadSlaPolicy } from '../src/sla/policy';
import { syncReminders } from '../src/sla/reminders';
import { pauseClocks, resumeClocks, transferTicket } from '../src/sla/ticket-clocks';
import { createSlaProcessor } from '../workers/sla';
import { dbKinds, openTestDb, resetDb, testRedisUrl, uniquePrefix } from './support/harness';
import { eventually, until } from './support/hotline';
import { at, newTicket as createTicketFor } from './support/sla-fixture';

const ctx: SlaContext = { policy: loadSlaPolicy('can-tho'), cal: defaultCalendar() };

/** Reminders on real Redis and Postgres; "time passes" by promoting a delayed job. */
describe.each(dbKinds())('SLA reminders and escalation (%s)', (kind) => {
  let database: Database;
  let queue: Queue<SlaJob>;
  let worker: Worker<SlaJob> | undefined;
  const redis = createRedis(testRedisUrl(), 'producer');
  const prefix = uniquePrefix();
  const connection = () => bullConnection(testRedisUrl(), 'worker');
  const startWorker = () => {
    worker = new Worker<SlaJob>(QUEUE.sla, createSlaProcessor({ db: database.db, queue }), {
      connection: connection(),
      prefix,
    });
  };

  beforeAll(async () => {
    database = await openTestDb(kind);
    queue = new Queue<SlaJob>(QUEUE.sla, { connection: redis, prefix });
  });
  afterAll(async () => {
    await worker?.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.quit();
    await database.close();
  });
  beforeEach(async () => {
    await resetDb(database);
    startWorker();
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });

  const newTicket = (receivedAt: Date, unit?: string) => createTicketFor(database.db, receivedAt, unit);
  const clocksOf = (ticketId: number) =>
    database.db.select().from(ticketClocks).where(eq(ticketClocks.ticketId, ticketId));
  const answerClock = async (ticketId: number) =>
    (await clocksOf(ticketId)).find((c) => c.kind === 'answer' && c.status !== 'superseded')!;
  const alertsOf = (clockId: number) => database.db.select().from(slaAlerts).where(eq(slaAlerts.clockId, clockId));
  const promote = async (id: string) => (await queue.getJob(id))!.promote();
  const fired = (clockId: number, count: number) =>
    eventually(async () => (await alertsOf(clockId)).length === count, `${count} alert(s)`);

  it('warning, notice and escalation fire once each, with a worker restart in between', async () => {
    const receivedAt = at('2026-03-02 09:00');
    const t = await newTicket(receivedAt);
    expect(await syncReminders(database.db, queue, { now: () => receivedAt, ctx })).toBe(3);
    expect(await syncReminders(database.db, queue, { now: () => receivedAt, ctx })).toBe(0);
    const clock = await answerClock(t.id);
    expect(clock.dueAt).toEqual(at('2026-03-23 17:00'));
    const id = (stage: string) => slaJobId(t.id, clock.id, stage, clock.dueAt!);
    const warn = await queue.getJob(id('warn'));
    expect(await warn!.getState()).toBe('delayed');
    expect(warn!.data).toMatchObject({ stage: 'warn', fireAt: at('2026-03-18 07:52').toISOString() });
    expect(warn!.opts.delay).toBe(at('2026-03-18 07:52').getTime() - receivedAt.getTime());

    await promote(id('warn'));
    await fired(clock.id, 1);

    // Restart: the worker goes away and comes back; the schedule is intact and nothing re-fires.
    await worker!.close();
    startWorker();
    expect(await syncReminders(database.db, queue, { now: () => receivedAt, ctx })).toBe(0);
    // A duplicate firing of the warning (same reminder under another id) is a no-op.
    const dup = await queue.add('warn', { ...warn!.data }, { jobId: `${id('warn')}-dup` });
    expect(await resultOf(dup.id)).toEqual({ outcome: 'already_fired' });
    // The same id is refused by BullMQ while the completed job is kept.
    await queue.add('warn', { ...warn!.data }, { jobId: id('warn') });

    await promote(id('due'));
    await fired(clock.id, 2);
    await promote(id('escalate'));
    await fired(clock.id, 3);

    const events = await database.db.select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id));
    expect(events.map((e) => e.type).filter((x) => x.startsWith('sla_'))).toEqual([
      'sla_warning',
      'sla_due',
      'sla_escalated',
    ]);
    const notes = await database.db.select().from(notifications).where(eq(notifications.ticketId, t.id));
    expect(notes.map((x) => [x.kind, x.role, x.unitCode])).toEqual([
      ['sla_warning', 'unit', 'so-xay-dung'],
      ['sla_due', 'unit_head', 'so-xay-dung'],
      ['sla_escalated', 'inspection', 'kiem-tra-cong-vu'],
    ]);
  });

  /** The result of a job once it has run (polled: no event subscription to race with). */
  async function resultOf(id: string | undefined): Promise<unknown> {
    return until(async () => {
      const job = await queue.getJob(id!);
      return (await job?.getState()) === 'completed' ? job!.returnvalue : null;
    }, 10_000);
  }

  it('a transfer on day 4 reschedules: the old jobs are removed, the new unit gets its own', async () => {
    const receivedAt = at('2026-03-02 09:00');
    const t = await newTicket(receivedAt);
    await syncReminders(database.db, queue, { now: () => receivedAt, ctx });
    const old = await answerClock(t.id);
    const transferredAt = at('2026-03-06 10:00');
    const changed = await transferTicket(
      database.db,
      { ticketId: t.id, toUnit: 'ubnd-phuong-ninh-kieu', at: transferredAt, actor: 'op:1' },
      ctx,
    );
    expect(await syncReminders(database.db, queue, { clockIds: changed, now: () => transferredAt, ctx })).toBe(3);
    for (const stage of ['warn', 'due', 'escalate']) {
      expect(await queue.getJob(slaJobId(t.id, old.id, stage, old.dueAt!))).toBeUndefined();
    }
    const now = await answerClock(t.id);
    expect([now.unitCode, now.startedAt, now.dueAt]).toEqual([
      'ubnd-phuong-ninh-kieu',
      transferredAt,
      at('2026-03-26 17:00'),
    ]);
    expect(await (await queue.getJob(slaJobId(t.id, now.id, 'due', now.dueAt!)))!.getState()).toBe('delayed');
    const [ev] = await database.db
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, t.id), eq(ticketEvents.type, 'transferred')));
    expect(ev!.data).toMatchObject({ receivedAt: receivedAt.toISOString(), forwardedInTime: true });
  });

  it('a pause for missing information removes the reminders; resuming moves the deadline and reschedules', async () => {
    const receivedAt = at('2026-03-02 09:00');
    const t = await newTicket(receivedAt);
    await syncReminders(database.db, queue, { now: () => receivedAt, ctx });
    const before = await answerClock(t.id);
    const paused = await pauseClocks(database.db, { ticketId: t.id, at: at('2026-03-04 10:00'), actor: 'op:1' }, ctx);
    await syncReminders(database.db, queue, { clockIds: paused, ctx });
    expect(await queue.getJob(slaJobId(t.id, before.id, 'due', before.dueAt!))).toBeUndefined();
    expect((await answerClock(t.id)).status).toBe('paused');
    const resumed = await resumeClocks(
      database.db,
      { ticketId: t.id, at: at('2026-03-09 15:00'), actor: 'citizen' },
      ctx,
    );
    await syncReminders(database.db, queue, { clockIds: resumed, now: () => at('2026-03-09 15:00'), ctx });
    const after = await answerClock(t.id);
    expect(after.dueAt).toEqual(at('2026-03-27 17:00'));
    expect(await (await queue.getJob(slaJobId(t.id, after.id, 'due', after.dueAt!)))!.getState()).toBe('delayed');
    // A reminder made for the old due time finds the clock moved and does nothing.
    const stale = await queue.add('due', {
      ticketId: t.id,
      clockId: after.id,
      stage: 'due',
      dueAt: before.dueAt!.toISOString(),
      fireAt: before.dueAt!.toISOString(),
    });
    expect(await resultOf(stale.id)).toEqual({ outcome: 'stale' });
    expect(await alertsOf(after.id)).toHaveLength(0);
  });
});
