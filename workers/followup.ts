import { DelayedError, type Job, type Queue } from 'bullmq';
import { parseJob } from '../src/queues/job-errors';
import { followupJobSchema, type FollowupJob } from '../src/queues/queues';
import { deliverFollowup, type FollowupDeps } from '../src/followup/deliver';
import { syncFollowups } from '../src/followup/schedule';

export interface FollowupWorkerDeps extends FollowupDeps {
  queue: Queue<FollowupJob>;
}

export const FOLLOWUP_SWEEP_EVERY_MS = 10 * 60_000;

export async function scheduleFollowupSweep(queue: Queue<FollowupJob>): Promise<void> {
  await queue.upsertJobScheduler(
    'followup-sweep',
    { every: FOLLOWUP_SWEEP_EVERY_MS },
    { name: 'followup-sweep', data: { task: 'followup-sweep' } },
  );
}

/** Updates, answers and rating requests go out; the sweep schedules what is owed and missing. */
export function createFollowupProcessor(deps: FollowupWorkerDeps) {
  return async (job: Job<FollowupJob>, token?: string): Promise<unknown> => {
    const data = parseJob(followupJobSchema, job.data);
    if ('task' in data)
      return {
        scheduled: await syncFollowups(deps.db, deps.queue, {
          now: deps.now(),
          progressEveryDays: deps.progressEveryDays,
        }),
      };
    const r = await deliverFollowup(deps, data);
    if (r.outcome === 'early' && token) {
      // Our clock says it is not due yet (a clock set back, or a job promoted by hand): wait for it.
      // BullMQ times delays by the wall clock, so the wait is what our clock says is left.
      const waitMs = Math.max(1000, r.dueAt.getTime() - deps.now().getTime());
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError();
    }
    return r;
  };
}
