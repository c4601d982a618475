import os from 'node:os';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { log } from '../src/log';
import { INTAKE_GROUP, intakeKey } from '../src/queues/intake-stream';
import { inboundJobId, inboundJobSchema, type InboundJob } from '../src/queues/queues';

export interface IntakePumpDeps {
  /** A dedicated connection: the pump blocks on it (XREADGROUP BLOCK). Closed by the pump. */
  redis: Redis;
  prefix: string;
  inbound: Pick<Queue<InboundJob>, 'addBulk' | 'getWaitingCount'>;
  /** Entries moved per round. */
  batch?: number;
  /**
   * The pump stops moving while the inbound queue has this many jobs waiting: the stream is the
   * buffer, BullMQ holds the working set, so a burst costs Redis one XADD per event, not a script.
   */
  highWater?: number;
  /** Entries another consumer read and never acknowledged are taken over after this long. */
  claimIdleMs?: number;
}

export interface IntakePump {
  close(): Promise<void>;
}

type Entry = [id: string, fields: string[]];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startIntakePump(deps: IntakePumpDeps): Promise<IntakePump> {
  const { redis, prefix } = deps;
  const key = intakeKey(prefix);
  const batch = deps.batch ?? 200;
  const highWater = deps.highWater ?? 1000;
  const claimIdleMs = deps.claimIdleMs ?? 30_000;
  // One name per host: a restarted process first re-reads what it had read and not acknowledged.
  const consumer = os.hostname();
  try {
    await redis.xgroup('CREATE', key, INTAKE_GROUP, '0', 'MKSTREAM');
  } catch (e) {
    if (!String(e).includes('BUSYGROUP')) throw e;
  }

  const move = async (entries: Entry[]) => {
    const jobs: InboundJob[] = [];
    for (const [id, fields] of entries) {
      const parsed = inboundJobSchema.safeParse(safeJson(fields[fields.indexOf('job') + 1]));
      // Only the webhook writes here; an entry that is not a job is logged whole and dropped.
      if (parsed.success) jobs.push(parsed.data);
      else log.error('intake entry is not an inbound job; dropped', { id, fields });
    }
    if (jobs.length) {
      await deps.inbound.addBulk(
        jobs.map((data) => ({ name: 'zalo-event', data, opts: { jobId: inboundJobId(data.dedupeKey) } })),
      );
    }
    const ids = entries.map(([id]) => id);
    await redis
      .multi()
      .xack(key, INTAKE_GROUP, ...ids)
      .xdel(key, ...ids)
      .exec();
  };

  let stopped = false;
  let pending = true;
  let lastClaim = 0;
  const loop = async () => {
    while (!stopped) {
      try {
        if ((await deps.inbound.getWaitingCount()) >= highWater) {
          await sleep(100);
          continue;
        }
        if (Date.now() - lastClaim > claimIdleMs) {
          lastClaim = Date.now();
          const claimed = (await redis.xautoclaim(key, INTAKE_GROUP, consumer, claimIdleMs, '0-0', 'COUNT', batch)) as [
            string,
            Entry[],
          ];
          if (claimed[1].length) await move(claimed[1]);
        }
        const read = (await redis.xreadgroup(
          'GROUP',
          INTAKE_GROUP,
          consumer,
          'COUNT',
          batch,
          'BLOCK',
          1000,
          'STREAMS',
          key,
          pending ? '0' : '>',
        )) as Array<[string, Entry[]]> | null;
        const entries = read?.[0]?.[1] ?? [];
        if (pending && entries.length === 0) pending = false;
        if (entries.length) await move(entries);
      } catch (e) {
        if (stopped) break;
        log.warn('intake pump: retrying after an error', { error: e });
        // What this consumer read and could not move is re-read at once, not left for the idle claim.
        pending = true;
        await sleep(1000);
      }
    }
  };
  const running = loop();
  return {
    close: async () => {
      stopped = true;
      // Ends the blocking read at once; what was read and not acknowledged is re-read on restart.
      redis.disconnect();
      await running;
    },
  };
}

function safeJson(s: string | undefined): unknown {
  try {
    return s === undefined ? undefined : JSON.parse(s);
  } catch {
    return undefined;
  }
}
