import { Queue, Worker } from 'bullmq';
import { eq } from 'drizzle-orm';
import type { Database } from '../src/db/client';
import { outboundMessages } from '../src/db/schema';
import { enqueueOutbound, putInOutbox } from '../src/outbound/outbox';
import { QUEUE, outboundJobId, type OutboundJob } from '../src/queues/queues';
import { withDeadLetter } from '../src/queues/job-errors';
import { bullConnection, createRedis } from '../src/redis/connection';
import type { CsMessage } from '../src/zalo/messages';
import { createOutboundProcessor } from '../workers/outbound';
import { dbKinds, openTestDb, testRedisUrl, uniquePrefix } from './support/harness';
import { eventually } from './support/hotline';

/**
 * Several messages to one citizen leave in the order they were written, although the outbound worker
 * runs eight jobs at once: the answer before the rating question, the greeting before the question.
 * Zalo is a stand-in whose sends we hold and release by hand.
 */
describe.each(dbKinds())('outbound order per citizen (%s)', (kind) => {
  let database: Database;
  let queue: Queue<OutboundJob>;
  let worker: Worker<OutboundJob>;
  const redis = createRedis(testRedisUrl(), 'producer');
  const prefix = uniquePrefix();
  const sent: Array<{ user: string; text: string }> = [];
  const held = new Map<string, () => void>();
  /** Sends whose text starts with "HOLD" wait until released: a slow Zalo answer. */
  const zalo = {
    sendMessage: async (user: string, message: CsMessage) => {
      const text = String((message as { text?: string }).text);
      if (text.startsWith('HOLD')) await new Promise<void>((resolve) => held.set(text, resolve));
      sent.push({ user, text });
      return { messageId: `m${sent.length}`, userId: user };
    },
  };

  beforeAll(async () => {
    database = await openTestDb(kind);
    queue = new Queue<OutboundJob>(QUEUE.outbound, { connection: redis, prefix });
    worker = new Worker<OutboundJob>(
      QUEUE.outbound,
      withDeadLetter(
        database.db,
        createOutboundProcessor({
          db: database.db,
          zalo,
          orderWaitMs: 50,
          orderHoldLimitMs: 60_000,
          onRateLimited: async () => new Error('not expected'),
        }),
      ),
      { connection: bullConnection(testRedisUrl(), 'worker'), prefix, concurrency: 8 },
    );
  });
  afterAll(async () => {
    for (const release of held.values()) release();
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.quit();
    await database.close();
  });

  const text = (t: string): CsMessage => ({ text: t }) as CsMessage;
  const write = async (user: string, texts: string[]) => {
    const ids: number[] = [];
    for (const t of texts)
      ids.push(await putInOutbox(database.db, { dedupeKey: `${user}:${t}`, zaloUserId: user, message: text(t) }));
    return ids;
  };
  /** A pending message written `ms` ago and never enqueued (its job lost, or retrying). */
  const pendingSince = async (user: string, t: string, ms: number) => {
    const [id] = await write(user, [t]);
    await database.db
      .update(outboundMessages)
      .set({ createdAt: new Date(Date.now() - ms) })
      .where(eq(outboundMessages.id, id!));
  };
  const sentTo = (user: string) => sent.filter((s) => s.user === user).map((s) => s.text);

  it('a later message waits for an earlier one that Zalo is slow to take; other citizens do not wait', async () => {
    await enqueueOutbound(queue, await write('u1', ['HOLD answer', 'rating question', 'comment question']));
    await enqueueOutbound(queue, await write('u2', ['hello']));
    await eventually(() => held.has('HOLD answer') && sentTo('u2').length === 1, 'the slow send and u2 going ahead');
    // Give the later jobs time to overtake, were they allowed to.
    await new Promise((r) => setTimeout(r, 500));
    expect(sentTo('u1')).toEqual([]);
    held.get('HOLD answer')!();
    await eventually(() => sentTo('u1').length === 3, 'all three of u1');
    expect(sentTo('u1')).toEqual(['HOLD answer', 'rating question', 'comment question']);
    // A wait is not an attempt: every row sent once, on its first attempt.
    const rows = await database.db.select().from(outboundMessages).where(eq(outboundMessages.zaloUserId, 'u1'));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ]);
  });

  it('an earlier message pending for longer than the hold limit no longer holds the next one back', async () => {
    await pendingSince('u3', 'never enqueued', 120_000);
    await enqueueOutbound(queue, await write('u3', ['next']));
    await eventually(() => sentTo('u3').length === 1, 'the next message');
    expect(sentTo('u3')).toEqual(['next']);
  });

  it('behind an earlier message pending for a while (a Zalo outage), the next one looks again less often', async () => {
    await pendingSince('u5', 'retrying for 20 s', 20_000);
    const [next] = await write('u5', ['waiting behind it']);
    await enqueueOutbound(queue, [next!]);
    // State first, then the job: a job read before it moved would carry the old delay (0).
    const job = await eventually(
      async () =>
        (await queue.getJobState(outboundJobId(next!))) === 'delayed' ? queue.getJob(outboundJobId(next!)) : undefined,
      'the job waiting in the delayed set',
    );
    // Half the time the earlier one has been pending: ~10 s, not a poll every 200 ms.
    expect(job.delay).toBeGreaterThanOrEqual(9_000);
    expect(job.attemptsMade).toBe(0);
    expect(sentTo('u5')).toEqual([]);
  });

  it('a failed earlier message does not hold the next one back', async () => {
    const [failed] = await write('u4', ['failed before']);
    await database.db.update(outboundMessages).set({ status: 'failed' }).where(eq(outboundMessages.id, failed!));
    await enqueueOutbound(queue, await write('u4', ['after the failure']));
    await eventually(() => sentTo('u4').length === 1, 'the message after the failure');
  });
});
