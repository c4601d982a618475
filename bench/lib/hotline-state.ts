import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/client';
import { intakeKey } from '../../src/queues/intake-stream';
import { QUEUE_PREFIX, type HotlineChild } from './procs';

/**
 * Read-only views of the hotline child's state, for the "did the workers keep up" part of the report.
 * Nothing here changes the app: the queues are only counted, the database only read after the child
 * has stopped (PGlite admits one process at a time).
 */

export interface Backlog {
  /** Events in the intake stream plus jobs in the inbound queue. */
  inbound: number;
  outbound: number;
  failed: number;
}

export interface QueueProbe {
  backlog(): Promise<Backlog>;
  close(): Promise<void>;
}

/**
 * The private redis-server picks a free port that the hotline only logs at info level, so it is read
 * from the process the hotline started: DATA_DIR/redis/redis.pid → its command line / process title.
 */
function privateRedisPort(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'redis', 'redis.pid'), 'utf8'));
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    const m = /--port (\d+)/.exec(cmdline) ?? /127\.0\.0\.1:(\d+)/.exec(cmdline);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Counts of the hotline's BullMQ queues (the prefix the child was started with). */
export function openQueueProbe(child: HotlineChild): QueueProbe | undefined {
  const port = privateRedisPort(child.dataDir);
  if (!port) return undefined;
  const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
  const inbound = new Queue('inbound', { connection, prefix: QUEUE_PREFIX });
  const outbound = new Queue('outbound', { connection, prefix: QUEUE_PREFIX });
  const redis = new Redis(connection);
  const pending = ['waiting', 'active', 'delayed', 'prioritized'] as const;
  const sum = (c: Record<string, number>) => pending.reduce((s, k) => s + (c[k] ?? 0), 0);
  return {
    backlog: async () => {
      const [i, o, stream] = await Promise.all([
        inbound.getJobCounts(...pending, 'failed'),
        outbound.getJobCounts(...pending, 'failed'),
        redis.xlen(intakeKey(QUEUE_PREFIX)),
      ]);
      return { inbound: stream + sum(i), outbound: sum(o), failed: (i.failed ?? 0) + (o.failed ?? 0) };
    },
    close: async () => {
      await Promise.all([inbound.close(), outbound.close()]);
      redis.disconnect();
    },
  };
}

export interface StoredCounts {
  events: Record<string, number>;
  tickets: number;
  outbound: Record<string, number>;
}

/**
 * Rows written for this run's citizens (user-id prefix), read once the child has exited. Filtering by
 * prefix keeps a shared BENCH_DATABASE_URL honest: earlier runs' rows are not counted.
 */
export async function countStored(child: HotlineChild, userPrefix: string): Promise<StoredCounts> {
  const database = await openDatabase({
    url: child.databaseUrl,
    pgliteDir: path.join(child.dataDir, 'pglite'),
    migrate: false,
  });
  const like = `${userPrefix}%`;
  const rows = async (q: ReturnType<typeof sql>) =>
    ((await database.db.execute(q)) as unknown as { rows: Array<{ k: string; n: string | number }> }).rows;
  const byKey = (r: Array<{ k: string; n: string | number }>) => Object.fromEntries(r.map((x) => [x.k, Number(x.n)]));
  try {
    const events = byKey(
      await rows(
        sql`select status as k, count(*) as n from inbound_events where zalo_user_id like ${like} group by status`,
      ),
    );
    const tickets = await rows(sql`select 'all' as k, count(*) as n from tickets where zalo_user_id like ${like}`);
    const outbound = byKey(
      await rows(
        sql`select status as k, count(*) as n from outbound_messages where zalo_user_id like ${like} group by status`,
      ),
    );
    return { events, tickets: Number(tickets[0]?.n ?? 0), outbound };
  } finally {
    await database.close();
  }
}

export const total = (r: Record<string, number>) => Object.values(r).reduce((s, v) => s + v, 0);
export const breakdown = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

export interface StageTimes {
  /** Webhook accepted → event processed (inbound queue wait + the inbound job's transaction). */
  inbound: number[];
  /** Event processed → Zalo send returned (outbound queue wait + send + its DB update). */
  outbound: number[];
}

/**
 * Where the time goes, from the hotline's own timestamps: received_at is stamped by the webhook,
 * processed_at at the end of the inbound job, sent_at after the stand-in answered. One event and one
 * reply per citizen in these runs, so joining on the citizen pairs them.
 */
export async function stageTimes(child: HotlineChild, userPrefix: string): Promise<StageTimes> {
  const database = await openDatabase({
    url: child.databaseUrl,
    pgliteDir: path.join(child.dataDir, 'pglite'),
    migrate: false,
  });
  try {
    const result = (await database.db.execute(sql`
      select extract(epoch from (e.processed_at - e.received_at)) * 1000 as inbound,
             extract(epoch from (o.sent_at - e.processed_at)) * 1000 as outbound
      from inbound_events e join outbound_messages o on o.zalo_user_id = e.zalo_user_id
      where e.zalo_user_id like ${`${userPrefix}%`} and o.sent_at is not null`)) as unknown as {
      rows: Array<{ inbound: string | number; outbound: string | number }>;
    };
    return { inbound: result.rows.map((r) => Number(r.inbound)), outbound: result.rows.map((r) => Number(r.outbound)) };
  } finally {
    await database.close();
  }
}

/**
 * Counts what reaches the stand-in Zalo API for this run's citizens (user-id prefix). Every event of
 * these runs deserves exactly one reply, so a second message to the same citizen is a duplicate send
 * (the outbox promises none); the gap between the two hints at the cause. Messages to other citizens
 * are counted apart: on a shared BENCH_DATABASE_URL the outbox sweeper rightly delivers rows an
 * earlier, interrupted run left pending.
 */
export class ReplyTracker {
  total = 0;
  others = 0;
  readonly duplicates: Array<{ userId: string; gapMs: number }> = [];
  private readonly first = new Map<string, number>();

  constructor(
    sentLog: { on(event: 'message', fn: (m: { userId: string; at: Date }) => void): unknown },
    userPrefix: string,
  ) {
    sentLog.on('message', (m) => {
      if (!m.userId.startsWith(userPrefix)) return void this.others++;
      this.total++;
      const seen = this.first.get(m.userId);
      if (seen === undefined) this.first.set(m.userId, m.at.getTime());
      else this.duplicates.push({ userId: m.userId, gapMs: m.at.getTime() - seen });
    });
  }

  describe(): string {
    const others = this.others ? `; ${this.others} to citizens of earlier runs (outbox sweeper)` : '';
    if (!this.duplicates.length) return `no duplicates${others}`;
    const gaps = this.duplicates.map((d) => (d.gapMs / 1000).toFixed(1)).slice(0, 8);
    const more = this.duplicates.length > 8 ? ', …' : '';
    return `${this.duplicates.length} citizens answered twice (seconds apart: ${gaps.join(', ')}${more})${others}`;
  }
}
