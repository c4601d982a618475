import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { z } from 'zod';

/** The one queue factory: names, payload schemas and default job options live here. */
export const QUEUE = {
  inbound: 'inbound',
  outbound: 'outbound',
  maintenance: 'maintenance',
  dialogue: 'dialogue',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

export const inboundJobSchema = z.object({
  dedupeKey: z.string().min(1),
  eventName: z.string().min(1),
  /** The exact body Zalo sent: ids are strings in it and must stay so. */
  raw: z.string().min(2),
  receivedAt: z.string(),
  /** Set when the signed event failed its schema: it is stored for people to see, not processed. */
  problem: z.string().optional(),
});
export type InboundJob = z.infer<typeof inboundJobSchema>;

export const outboundJobSchema = z.object({ outboundId: z.number().int().positive() });
export type OutboundJob = z.infer<typeof outboundJobSchema>;

/** A burst timer: when it fires, the citizen has paused and the dialogue answers the draft at revision `rev`. */
export const dialogueJobSchema = z.object({ zaloUserId: z.string().min(1), rev: z.number().int().nonnegative() });
export type DialogueJob = z.infer<typeof dialogueJobSchema>;

export const maintenanceJobSchema = z.object({ task: z.enum(['outbox-sweep', 'token-refresh']) });
export type MaintenanceJob = z.infer<typeof maintenanceJobSchema>;

const DAY = 24 * 3600;
export const JOB_DEFAULTS: Record<QueueName, DefaultJobOptions> = {
  // Completed jobs are kept a day so a redelivery within it is refused by jobId alone.
  inbound: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: DAY, count: 50_000 },
    removeOnFail: { age: 7 * DAY },
  },
  outbound: {
    attempts: 6,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: { age: DAY, count: 50_000 },
    removeOnFail: { age: 7 * DAY },
  },
  dialogue: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 7 * DAY },
  },
  maintenance: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 100, removeOnFail: 100 },
};

export interface Queues {
  inbound: Queue<InboundJob>;
  outbound: Queue<OutboundJob>;
  maintenance: Queue<MaintenanceJob>;
  dialogue: Queue<DialogueJob>;
  close(): Promise<void>;
}

/**
 * The queues share the caller's fail-fast producer connection, which the caller closes: a Queue
 * that opened its own connection would, with Redis down at shutdown, fail to close and keep
 * reconnecting forever.
 */
export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const make = <T>(name: QueueName) =>
    new Queue<T>(name, { connection, prefix, defaultJobOptions: JOB_DEFAULTS[name] });
  const inbound = make<InboundJob>(QUEUE.inbound);
  const outbound = make<OutboundJob>(QUEUE.outbound);
  const maintenance = make<MaintenanceJob>(QUEUE.maintenance);
  const dialogue = make<DialogueJob>(QUEUE.dialogue);
  const all = [inbound, outbound, maintenance, dialogue];
  for (const q of all) q.on('error', () => undefined);
  return {
    inbound,
    outbound,
    maintenance,
    dialogue,
    close: async () => {
      // With Redis gone, close() rejects; the shared connection is ended by its owner anyway.
      await Promise.all(all.map((q) => q.close().catch(() => undefined)));
    },
  };
}

/** One job per outbox row: a re-added job for the same row is refused by BullMQ while it exists. */
export function outboundJobId(outboundId: number): string {
  return `out-${outboundId}`;
}

/**
 * Schedules burst timers, one delayed job per addition to a draft, keyed by the inbound event that
 * made it (a re-run of that event adds nothing). Every addition bumps the draft's revision, so the
 * timers of earlier additions find a newer revision and do nothing: only the last one answers.
 * (BullMQ's debounce mode would drop an addition that arrives while the previous timer is running.)
 */
export interface BurstTimer {
  zaloUserId: string;
  rev: number;
  eventId: number;
}

export async function scheduleBursts(queue: Queue<DialogueJob>, bursts: BurstTimer[], delayMs: number): Promise<void> {
  if (!bursts.length) return;
  await queue.addBulk(
    bursts.map((b) => ({
      name: 'burst',
      data: { zaloUserId: b.zaloUserId, rev: b.rev },
      opts: { delay: delayMs, jobId: `burst-${b.eventId}` },
    })),
  );
}
