import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { z } from 'zod';

/** The one queue factory: names, payload schemas and default job options live here. */
export const QUEUE = {
  inbound: 'inbound',
  outbound: 'outbound',
  maintenance: 'maintenance',
  attachments: 'attachments',
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

export const maintenanceJobSchema = z.object({ task: z.enum(['outbox-sweep', 'token-refresh']) });
export type MaintenanceJob = z.infer<typeof maintenanceJobSchema>;

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
  // Zalo's CDN may answer 404 for a moment after the webhook; its URLs expire within days, not minutes.
  attachments: {
    attempts: 6,
    backoff: { type: ATTACHMENT_BACKOFF },
    removeOnComplete: { age: DAY, count: 50_000 },
    removeOnFail: { age: 7 * DAY },
  },
  maintenance: { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 100, removeOnFail: 100 },
};

export interface Queues {
  inbound: Queue<InboundJob>;
  outbound: Queue<OutboundJob>;
  maintenance: Queue<MaintenanceJob>;
  attachments: Queue<AttachmentJob>;
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
  const attachments = make<AttachmentJob>(QUEUE.attachments);
  const all = [inbound, outbound, maintenance, attachments];
  for (const q of all) q.on('error', () => undefined);
  return {
    inbound,
    outbound,
    maintenance,
    attachments,
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
 * One job per attachment of an event. BullMQ refuses ':' in custom ids except in exactly three
 * parts (its legacy repeat-key form), which this id has.
 */
export function attachmentJobId(inboundEventId: number, position: number): string {
  return `att:${inboundEventId}:${position}`;
}
