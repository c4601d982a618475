import type { Redis } from 'ioredis';
import type { InboundJob } from './queues';

/**
 * The webhook's durable buffer: one XADD per event, the cheapest durable write Redis offers (a
 * BullMQ add is a Lua script with a dozen keys and cost the web thread 2.5× the CPU, measured in
 * docs/benchmarks.md). The intake pump (workers/intake-pump.ts) moves entries into the inbound
 * queue, jobId from the dedupe key, then acknowledges them; a crash in between re-adds, and the
 * jobId and the Postgres unique key make that a no-op.
 */
export const INTAKE_GROUP = 'pump';

export function intakeKey(prefix: string): string {
  return `${prefix}:intake`;
}

export async function appendToIntake(redis: Redis, prefix: string, job: InboundJob): Promise<void> {
  await redis.xadd(intakeKey(prefix), '*', 'job', JSON.stringify(job));
}

/** Entries not yet moved into the inbound queue (for /readyz, the console and benchmarks). */
export async function intakeBacklog(redis: Redis, prefix: string): Promise<number> {
  return redis.xlen(intakeKey(prefix));
}
