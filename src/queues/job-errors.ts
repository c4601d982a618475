import { UnrecoverableError, type Job } from 'bullmq';
import type { ZodType } from 'zod';
import type { Db } from '../db/client';
import { deadLetters } from '../db/schema';
import { errorCode, errorMessage } from '../errors';
import { log } from '../log';

/** A failure no retry can fix: BullMQ moves the job to failed at once, and we dead-letter it. */
export function permanent(code: string, message: string): UnrecoverableError {
  return Object.assign(new UnrecoverableError(`${code}: ${message}`), { code });
}

/** Validates a job payload; a malformed one is permanent (retrying cannot fix it). */
export function parseJob<T>(schema: ZodType<T>, data: unknown): T {
  const r = schema.safeParse(data);
  if (!r.success)
    throw permanent('JOB_PAYLOAD_INVALID', r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

function isFinal(job: Job, e: unknown): boolean {
  if (e instanceof UnrecoverableError) return true;
  if (
    e instanceof Error &&
    (e.name === 'RateLimitError' || e.name === 'DelayedError' || e.name === 'WaitingChildrenError')
  )
    return false;
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * Wraps a processor so that a job's last failure is copied to the dead-letter table before BullMQ
 * marks it failed: Redis keeps failed jobs only for a while, Postgres keeps them until handled.
 */
export function withDeadLetter<J extends Job>(
  db: Db,
  processor: (job: J, token?: string) => Promise<unknown>,
  onDead?: (job: J, e: unknown) => Promise<void>,
): (job: J, token?: string) => Promise<unknown> {
  return async (job: J, token?: string) => {
    try {
      return await processor(job, token);
    } catch (e) {
      if (isFinal(job, e)) {
        const code = errorCode(e);
        log.error('job dead-lettered', {
          queue: job.queueName,
          jobId: job.id,
          job: job.name,
          code,
          error: errorMessage(e),
        });
        await db.insert(deadLetters).values({
          queue: job.queueName,
          jobId: String(job.id),
          jobName: job.name,
          payload: job.data,
          errorCode: code,
          errorMessage: errorMessage(e).slice(0, 2000),
          attempts: job.attemptsMade + 1,
        });
        if (onDead) await onDead(job, e);
      }
      throw e;
    }
  };
}
