import { Queue, Worker } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import nock from 'nock';
import type { Database } from '../src/db/client';
import { conversations, outboundMessages, progressUpdates, tickets } from '../src/db/schema';
import { chooseChannel, progressSchedule } from '../src/followup/channel';
import { callList } from '../src/followup/calls';
import { syncFollowups } from '../src/followup/schedule';
import { QUEUE, followupJobId, type FollowupJob, type OutboundJob } from '../src/queues/queues';
import { bullConnection, createRedis } from '../src/redis/connection';
import { ZaloClient } from '../src/zalo/client';
import { createFollowupProcessor } from '../workers/followup';
import { dbKinds, openTestDb, resetDb, testRedisUrl, uniquePrefix } from './support/harness';
import { eventually } from './support/hotline';
import { at, newTicket } from './support/sla-fixture';

const DAY = 24 * 3600 * 1000;
const ZNS_HOST = 'https://business.openapi.zalo.me';
const tokens = { getAccessToken: async () => 'tok', refresh: async () => 'tok2' };
const config = {
  appId: '1',
  appSecret: 's',
  webhookSecret: 's',
  openApiUrl: 'https://openapi.zalo.me',
  oauthUrl: 'https://oauth.zaloapp.com',
  sendRatePerMin: 100,
};

describe('channel choice (pure)', () => {
  const now = at('2026-03-10 09:00');
  it('uses Zalo CS inside the 7-day window, then ZNS when configured and a phone is known, else a call', () => {
    const inWindow = new Date(now.getTime() - 7 * DAY + 60_000);
    const closed = new Date(now.getTime() - 7 * DAY);
    expect(chooseChannel({ lastUserMessageAt: inWindow, now, znsTemplate: 't', phone: '0912345678' })).toEqual({
      channel: 'zalo_cs',
    });
    expect(chooseChannel({ lastUserMessageAt: closed, now, znsTemplate: 't', phone: '0912345678' })).toEqual({
      channel: 'zns',
    });
    expect(chooseChannel({ lastUserMessageAt: closed, now, phone: '0912345678' })).toEqual({
      channel: 'call',
      reason: 'zns_not_configured',
    });
    expect(chooseChannel({ lastUserMessageAt: null, now, znsTemplate: 't', phone: null })).toEqual({
      channel: 'call',
      reason: 'no_phone',
    });
  });
  it('counts progress updates every N days from receipt', () => {
    const r = at('2026-03-02 09:00');
    const s = progressSchedule(r, new Date(r.getTime() + 15 * DAY), 7);
    expect(s.current).toBe(2);
    expect(s.dueAt(3)).toEqual(new Date(r.getTime() + 21 * DAY));
  });
});

describe('ZNS on the Zalo client (nock, response shape {error, message, data})', () => {
  const zalo = new ZaloClient({ config, tokens, timeoutMs: 2000 });
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.restore);

  it('posts phone (84…), template_id, template_data and tracking_id; returns msg_id', async () => {
    let body: Record<string, unknown> = {};
    nock(ZNS_HOST)
      .post('/message/template', (b: Record<string, unknown>) => ((body = b), true))
      .matchHeader('access_token', 'tok')
      .reply(200, {
        error: 0,
        message: 'Success',
        data: { msg_id: 'a1b2c3', sent_time: '1741000000000', quota: { dailyQuota: '500', remainingQuota: '499' } },
      });
    const r = await zalo.sendZns({
      phone: '0912 345 678',
      templateId: '123',
      templateData: { a: 'b' },
      trackingId: 'pu-1',
    });
    expect(r).toEqual({ msgId: 'a1b2c3', sentTime: '1741000000000' });
    expect(body).toEqual({ phone: '84912345678', template_id: '123', template_data: { a: 'b' }, tracking_id: 'pu-1' });
  });

  it.each([
    [-118, 'ZNS_RECIPIENT_UNREACHABLE', 'recipient'],
    [-108, 'ZNS_RECIPIENT_UNREACHABLE', 'recipient'],
    [-109, 'ZNS_TEMPLATE_INVALID', 'permanent'],
    [-144, 'ZNS_QUOTA_EXCEEDED', 'rate'],
    [-100, 'ZALO_UNREACHABLE', 'transient'],
  ])('error %i becomes %s (%s)', async (code, errCode, kind) => {
    nock(ZNS_HOST).post('/message/template').reply(200, { error: code, message: 'x', data: {} });
    await expect(
      zalo.sendZns({ phone: '0912345678', templateId: '1', templateData: {}, trackingId: 't' }),
    ).rejects.toMatchObject({ code: errCode, kind, zaloCode: code });
  });

  it('refreshes a refused token (-124) once and retries', async () => {
    nock(ZNS_HOST).post('/message/template').reply(200, { error: -124, message: 'Access token is invalid' });
    nock(ZNS_HOST)
      .post('/message/template')
      .matchHeader('access_token', 'tok2')
      .reply(200, { error: 0, message: 'Success', data: { msg_id: 'z9' } });
    expect(
      (await zalo.sendZns({ phone: '84912345678', templateId: '1', templateData: {}, trackingId: 't' })).msgId,
    ).toBe('z9');
  });

  it('refuses a number that is not Vietnamese without calling Zalo', async () => {
    await expect(
      zalo.sendZns({ phone: '12345', templateId: '1', templateData: {}, trackingId: 't' }),
    ).rejects.toMatchObject({
      kind: 'recipient',
    });
  });
});

/** The follow-up queue on real Redis and Postgres; the clock is ours, and "time passes" by promoting jobs. */
describe.each(dbKinds())('citizen follow-up (%s)', (kind) => {
  let database: Database;
  let queue: Queue<FollowupJob>;
  let outbound: Queue<OutboundJob>;
  let worker: Worker<FollowupJob> | undefined;
  const redis = createRedis(testRedisUrl(), 'producer');
  const prefix = uniquePrefix();
  const clock = { now: at('2026-03-02 09:00') };
  const zalo = new ZaloClient({ config, tokens, timeoutMs: 2000 });
  const startWorker = (templates: { progress?: string } = {}) => {
    worker = new Worker<FollowupJob>(
      QUEUE.followup,
      createFollowupProcessor({
        db: database.db,
        queue,
        outbound,
        zns: zalo,
        templates,
        progressEveryDays: 7,
        now: () => clock.now,
      }),
      { connection: bullConnection(testRedisUrl(), 'worker'), prefix },
    );
  };

  beforeAll(async () => {
    database = await openTestDb(kind);
    queue = new Queue<FollowupJob>(QUEUE.followup, { connection: redis, prefix });
    outbound = new Queue<OutboundJob>(QUEUE.outbound, { connection: redis, prefix });
  });
  afterAll(async () => {
    await worker?.close();
    await queue.obliterate({ force: true });
    await outbound.obliterate({ force: true });
    await Promise.all([queue.close(), outbound.close()]);
    await redis.quit();
    await database.close();
    nock.cleanAll();
  });
  beforeEach(async () => {
    // Ticket ids restart with the tables: the previous test's job ids must go too.
    await queue.obliterate({ force: true });
    await resetDb(database);
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });

  const db = () => database.db;
  const sweep = () => syncFollowups(db(), queue, { now: clock.now, progressEveryDays: 7 });
  const updatesOf = (ticketId: number) =>
    db().select().from(progressUpdates).where(eq(progressUpdates.ticketId, ticketId)).orderBy(progressUpdates.seq);
  const lastMessage = async (ticketId: number, when: Date, phone?: string) => {
    const [t] = await db().select().from(tickets).where(eq(tickets.id, ticketId));
    await db()
      .update(conversations)
      .set({ lastUserMessageAt: when, contactPhone: phone ?? null })
      .where(eq(conversations.id, t!.conversationId));
  };
  const promote = async (ticketId: number, seq: number) =>
    (await queue.getJob(followupJobId(ticketId, 'progress', seq)))!.promote();

  it('the 7-day window closes before the update: ZNS when a phone and template exist, else the call list', async () => {
    const receivedAt = at('2026-03-02 09:00');
    const withPhone = await newTicket(db(), receivedAt);
    const noPhone = await newTicket(db(), receivedAt);
    await lastMessage(withPhone.id, receivedAt, '0912345678');
    await lastMessage(noPhone.id, receivedAt);
    clock.now = new Date(receivedAt.getTime() + 3 * DAY);
    expect(await sweep()).toBe(2);
    const job = await queue.getJob(followupJobId(withPhone.id, 'progress', 1));
    expect(await job!.getState()).toBe('delayed');
    expect(job!.opts.delay).toBe(4 * DAY);

    let zns: Record<string, unknown> = {};
    nock(ZNS_HOST)
      .post('/message/template', (b: Record<string, unknown>) => ((zns = b), true))
      .reply(200, { error: 0, message: 'Success', data: { msg_id: 'zns-1' } });
    startWorker({ progress: 'tpl-progress' });
    // A week later, a minute past the window (the citizen's last message was at receipt).
    clock.now = new Date(receivedAt.getTime() + 7 * DAY + 60_000);
    await promote(withPhone.id, 1);
    await promote(noPhone.id, 1);
    const viaZns = await eventually(
      async () => (await updatesOf(withPhone.id)).find((u) => u.status === 'sent'),
      'ZNS sent',
    );
    expect(viaZns).toMatchObject({ kind: 'progress', seq: 1, channel: 'zns', znsMsgId: 'zns-1' });
    expect(zns).toMatchObject({
      phone: '84912345678',
      template_id: 'tpl-progress',
      template_data: { tracking_code: withPhone.trackingCode },
    });
    const call = await eventually(async () => (await updatesOf(noPhone.id))[0], 'call listed');
    expect(call).toMatchObject({ channel: 'call', status: 'to_call', errorCode: 'no_phone' });
    expect((await callList(db())).map((c) => c.trackingCode)).toEqual([noPhone.trackingCode]);
    // Nothing went to the closed Zalo window.
    expect(await db().select().from(outboundMessages)).toEqual([]);
  });

  it('a recipient ZNS refusal moves the update to the call list', async () => {
    const receivedAt = at('2026-03-02 09:00');
    const t = await newTicket(db(), receivedAt);
    await lastMessage(t.id, receivedAt, '0987654321');
    nock(ZNS_HOST).post('/message/template').reply(200, { error: -118, message: 'Zalo account not existed', data: {} });
    startWorker({ progress: 'tpl-progress' });
    clock.now = new Date(receivedAt.getTime() + 8 * DAY);
    await sweep();
    const u = await eventually(async () => (await updatesOf(t.id)).find((x) => x.status === 'to_call'), 'listed');
    expect(u).toMatchObject({ channel: 'call', errorCode: 'ZNS_RECIPIENT_UNREACHABLE' });
  });

  it('updates fire once each across a worker restart, through the outbox while the window is open', async () => {
    const receivedAt = at('2026-03-02 09:00');
    const t = await newTicket(db(), receivedAt);
    await lastMessage(t.id, new Date(receivedAt.getTime() + 6 * DAY));
    startWorker();
    clock.now = new Date(receivedAt.getTime() + 7 * DAY + 60_000);
    expect(await sweep()).toBe(2); // update 1 now, update 2 in a week
    const first = await eventually(async () => (await updatesOf(t.id))[0], 'update 1');
    expect(first).toMatchObject({ seq: 1, channel: 'zalo_cs', status: 'queued' });
    expect(first.outboxIds).toHaveLength(1);
    const [msg] = await db().select().from(outboundMessages).where(eq(outboundMessages.id, first.outboxIds[0]!));
    expect((msg!.message as { text: string }).text).toContain(`Phản ánh ${t.trackingCode}: đang ở bước`);
    expect(await outbound.getJob(`out-${first.outboxIds[0]}`)).toBeTruthy();

    // Promoted before its time (our clock says day 7): it waits again and sends nothing.
    await promote(t.id, 2);
    await eventually(
      async () => (await (await queue.getJob(followupJobId(t.id, 'progress', 2)))!.getState()) === 'delayed',
      'back to delayed',
    );

    // Restart: the worker goes away, comes back, and the sweep runs again as at start.
    await worker!.close();
    startWorker();
    await sweep();
    await sweep();
    await new Promise((r) => setTimeout(r, 500));
    expect(await updatesOf(t.id)).toHaveLength(1);

    await lastMessage(t.id, new Date(receivedAt.getTime() + 13 * DAY));
    clock.now = new Date(receivedAt.getTime() + 14 * DAY + 60_000);
    await promote(t.id, 2);
    await eventually(async () => (await updatesOf(t.id)).length === 2, 'update 2');
    await sweep();
    await new Promise((r) => setTimeout(r, 500));
    const all = await updatesOf(t.id);
    expect(all.map((u) => [u.seq, u.channel])).toEqual([
      [1, 'zalo_cs'],
      [2, 'zalo_cs'],
    ]);
    expect(await db().select().from(outboundMessages).where(eq(outboundMessages.ticketId, t.id))).toHaveLength(2);
  });

  it('stops when the ticket is answered; the rating request follows the answer', async () => {
    const receivedAt = at('2026-03-02 09:00');
    const t = await newTicket(db(), receivedAt);
    const answeredAt = new Date(receivedAt.getTime() + 5 * DAY);
    await lastMessage(t.id, answeredAt);
    await db()
      .update(tickets)
      .set({ status: 'da_co_ket_qua', answeredAt, publicAnswer: 'Đã xử lý.' })
      .where(eq(tickets.id, t.id));
    startWorker();
    clock.now = new Date(answeredAt.getTime() + 2 * 3600_000);
    expect(await sweep()).toBe(1);
    const r = await eventually(
      async () =>
        (
          await db()
            .select()
            .from(progressUpdates)
            .where(and(eq(progressUpdates.ticketId, t.id), eq(progressUpdates.kind, 'rating')))
        )[0],
      'rating asked',
    );
    expect(r).toMatchObject({ channel: 'zalo_cs', status: 'queued' });
    const [conv] = await db().select().from(conversations).where(eq(conversations.zaloUserId, t.zaloUserId));
    expect(conv!.state).toBe('rating_pending');
    expect(await sweep()).toBe(0);
  });
});
