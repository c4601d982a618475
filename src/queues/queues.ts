import crypto from 'node:crypto';
import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { z } from 'zod';

/** The one queue factory: names, payload schemas and default job options live here. */
export const QUEUE = {
  inbound: 'inbound',
  outbound: 'outbound',
  maintenance: 'maintenance',
  sla: 'sla',
  dialogue: 'dialogue',
  attachments: 'attachments',
  followup: 'followup',
  digest: 'digest',
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

/** A reminder on a ticket's clock (delayed until it is due), or the sweep that schedules missing ones. */
export const slaJobSchema = z.union([
  z.object({
    ticketId: z.number().int().positive(),
    clockId: z.number().int().positive(),
    stage: z.enum(['warn', 'due', 'escalate']),
    /** The clock's due time the reminder was computed for: a moved clock makes it stale. */
    dueAt: z.iso.datetime(),
    fireAt: z.iso.datetime(),
  }),
  z.object({ task: z.literal('sla-sweep') }),
]);
export type SlaJob = z.infer<typeof slaJobSchema>;

/** A message owed to a citizen (progress update n, the answer, the rating request), or the sweep that schedules them. */
export const followupJobSchema = z.union([
  z.object({
    ticketId: z.number().int().positive(),
    kind: z.enum(['progress', 'answer', 'rating']),
    seq: z.number().int().nonnegative(),
  }),
  z.object({ task: z.literal('followup-sweep') }),
]);
export type FollowupJob = z.infer<typeof followupJobSchema>;

/** A digest run (the schedulers fire these); `at` pins the period in tests and re-runs. */
export const digestJobSchema = z.object({
  task: z.enum(['daily', 'weekly']),
  at: z.iso.datetime().optional(),
});
export type DigestJob = z.infer<typeof digestJobSchema>;

/** One download of one citizen attachment (a row of the attachments table). */
export const attachmentJobSchema = z.object({ attachmentId: z.number().int().positive() });
export type AttachmentJob = z.infer<typeof attachmentJobSchema>;
export const ATTACHMENT_JOB_NAME = 'attachment-download';
/** Custom backoff type: the worker doubles ATTACHMENT_RETRY_BASE_MS per attempt (see start-workers). */
export const ATTACHMENT_BACKOFF = 'attachment-exponential';

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
  // Zalo's CDN may answer 404 for a moment after the webhook; its URLs expire within days, not minutes.
  attachments: {
    attempts: 6,
    backoff: { type: ATTACHMENT_BACKOFF },
    removeOnComplete: { age: DAY, count: 50_000 },
    removeOnFail: { age: 7 * DAY },
  },
  maintenance: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 100, removeOnFail: 100 },
  // Kept a month: a reminder re-added for the same clock and due time is refused by its id.
  sla: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 5000 },
    removeOnComplete: { age: 31 * DAY },
    removeOnFail: { age: 31 * DAY },
  },
  // Kept longer than the update period: a re-added update for the same ticket and number is refused by its id.
  followup: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 10_000 },
    removeOnComplete: { age: 31 * DAY },
    removeOnFail: { age: 31 * DAY },
  },
  digest: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 }, removeOnComplete: 200, removeOnFail: 200 },
};

export interface Queues {
  inbound: Queue<InboundJob>;
  outbound: Queue<OutboundJob>;
  maintenance: Queue<MaintenanceJob>;
  sla: Queue<SlaJob>;
  dialogue: Queue<DialogueJob>;
  attachments: Queue<AttachmentJob>;
  followup: Queue<FollowupJob>;
  digest: Queue<DigestJob>;
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
  const sla = make<SlaJob>(QUEUE.sla);
  const dialogue = make<DialogueJob>(QUEUE.dialogue);
  const attachments = make<AttachmentJob>(QUEUE.attachments);
  const followup = make<FollowupJob>(QUEUE.followup);
  const digest = make<DigestJob>(QUEUE.digest);
  const all = [inbound, outbound, maintenance, sla, dialogue, attachments, followup, digest];
  for (const q of all) q.on('error', () => undefined);
  return {
    inbound,
    outbound,
    maintenance,
    sla,
    dialogue,
    attachments,
    followup,
    digest,
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

/** BullMQ ids may not contain ':'; a hash of the dedupe key is fixed-length and deterministic. */
export function inboundJobId(dedupeKey: string): string {
  return `ev-${crypto.createHash('sha256').update(dedupeKey).digest('hex').slice(0, 40)}`;
}

/**
 * One job per reminder of a clock and due time (BullMQ ids may not contain ':'). A moved deadline
 * gives new ids; the old jobs are removed by the scheduler.
 */
export function slaJobId(ticketId: number, clockId: number, stage: string, dueAt: Date): string {
  return `sla.${ticketId}.${clockId}.${stage}.${dueAt.toISOString().replace(/[:.]/g, '')}`;
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
  /** The draft reads as a whole complaint: the short wait applies. */
  complete: boolean;
}

export async function scheduleBursts(
  queue: Queue<DialogueJob>,
  bursts: BurstTimer[],
  waits: { burstMs: number; settleMs: number },
): Promise<void> {
  if (!bursts.length) return;
  await queue.addBulk(
    bursts.map((b) => ({
      name: 'burst',
      data: { zaloUserId: b.zaloUserId, rev: b.rev },
      opts: { delay: b.complete ? waits.settleMs : waits.burstMs, jobId: `burst-${b.eventId}` },
    })),
  );
}

/**
 * One job per attachment of an event. BullMQ refuses ':' in custom ids except in exactly three
 * parts (its legacy repeat-key form), which this id has.
 */
export function attachmentJobId(inboundEventId: number, position: number): string {
  return `att:${inboundEventId}:${position}`;
}

/** One job per message owed: progress update n of a ticket, its answer, its rating request. */
export function followupJobId(ticketId: number, kind: 'progress' | 'answer' | 'rating', seq: number): string {
  return `fu-${kind}-${ticketId}-${seq}`;
}
