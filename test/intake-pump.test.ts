import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullConnection, createRedis } from '../src/redis/connection';
import { appendToIntake, INTAKE_GROUP, intakeBacklog, intakeKey } from '../src/queues/intake-stream';
import { inboundJobId, type InboundJob } from '../src/queues/queues';
import { startIntakePump, type IntakePump } from '../workers/intake-pump';
import { testRedisUrl, uniquePrefix } from './support/harness';
import { eventually } from './support/hotline';

// The webhook appends to a Redis stream; the pump moves entries into the inbound queue. These tests
// drive the pump alone on a real Redis: nothing lost across a crash, nothing added twice.
const job = (n: number): InboundJob => ({
  dedupeKey: `msg:${n}`,
  eventName: 'user_send_text',
  raw: JSON.stringify({ n }),
  receivedAt: new Date(0).toISOString(),
});

describe('intake pump', () => {
  let prefix: string;
  let producer: Redis;
  let queue: Queue<InboundJob>;
  const pumps: IntakePump[] = [];
  const pump = async (opts: { highWater?: number; claimIdleMs?: number; batch?: number } = {}) => {
    const p = await startIntakePump({
      redis: new Redis(bullConnection(testRedisUrl(), 'worker') as never),
      prefix,
      inbound: queue,
      ...opts,
    });
    pumps.push(p);
    return p;
  };

  beforeEach(async () => {
    prefix = uniquePrefix();
    producer = createRedis(testRedisUrl(), 'producer');
    await new Promise((r) => producer.once('ready', r));
    queue = new Queue<InboundJob>('inbound', { connection: producer, prefix });
  });
  afterEach(async () => {
    await Promise.all(pumps.splice(0).map((p) => p.close()));
    await queue.obliterate({ force: true });
    await queue.close();
    await producer.del(intakeKey(prefix));
    producer.disconnect();
  });

  test('events appended while no pump runs are moved, once, with their deterministic job ids', async () => {
    for (let n = 0; n < 250; n++) await appendToIntake(producer, prefix, job(n));
    await appendToIntake(producer, prefix, job(7)); // a redelivery that reached the stream twice
    await pump();
    await eventually(async () => (await intakeBacklog(producer, prefix)) === 0, 'an empty stream');
    expect(await queue.getWaitingCount()).toBe(250);
    expect((await queue.getJob(inboundJobId('msg:42')))?.data.dedupeKey).toBe('msg:42');
  });

  test('entries read and not acknowledged by a crashed pump are re-read by the next one', async () => {
    await producer.xgroup('CREATE', intakeKey(prefix), INTAKE_GROUP, '0', 'MKSTREAM');
    for (let n = 0; n < 5; n++) await appendToIntake(producer, prefix, job(n));
    // A pump on this host read them, then died before adding them to the queue.
    const os = await import('node:os');
    await producer.xreadgroup('GROUP', INTAKE_GROUP, os.hostname(), 'COUNT', 3, 'STREAMS', intakeKey(prefix), '>');
    await pump();
    await eventually(async () => (await queue.getWaitingCount()) === 5, '5 waiting jobs');
    expect(await intakeBacklog(producer, prefix)).toBe(0);
  });

  test("another host's unacknowledged entries are taken over once idle", async () => {
    await producer.xgroup('CREATE', intakeKey(prefix), INTAKE_GROUP, '0', 'MKSTREAM');
    for (let n = 0; n < 3; n++) await appendToIntake(producer, prefix, job(n));
    await producer.xreadgroup('GROUP', INTAKE_GROUP, 'dead-host', 'COUNT', 3, 'STREAMS', intakeKey(prefix), '>');
    await pump({ claimIdleMs: 200 });
    await eventually(async () => (await queue.getWaitingCount()) === 3, '3 waiting jobs');
  });

  test('stops moving at the high-water mark and goes on when the queue drains', async () => {
    for (let n = 0; n < 30; n++) await appendToIntake(producer, prefix, job(n));
    await pump({ highWater: 10, batch: 5 });
    await eventually(async () => (await queue.getWaitingCount()) >= 10, '10 waiting jobs');
    await new Promise((r) => setTimeout(r, 300));
    const parked = await intakeBacklog(producer, prefix);
    expect(parked).toBe(20);
    // Workers taking the jobs: the pump refills up to the mark each time, until the stream is empty.
    await eventually(async () => {
      await queue.drain();
      return (await intakeBacklog(producer, prefix)) === 0;
    }, 'an empty stream');
  });

  test('an entry that is not a job is dropped with a log line and does not stop the rest', async () => {
    await producer.xadd(intakeKey(prefix), '*', 'job', '{not json');
    await appendToIntake(producer, prefix, job(1));
    await pump();
    await eventually(async () => (await queue.getWaitingCount()) === 1, '1 waiting jobs');
    await eventually(async () => (await intakeBacklog(producer, prefix)) === 0, 'an empty stream');
  });
});
