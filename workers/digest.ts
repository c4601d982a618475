import type { Job, Queue } from 'bullmq';
import type { DigestSchedule } from '../src/config/env';
import { runDailyDigests, runWeeklySummary, type DigestDeps } from '../src/digests/run';
import { parseJob } from '../src/queues/job-errors';
import { digestJobSchema, type DigestJob } from '../src/queues/queues';

export const DIGEST_TZ = 'Asia/Ho_Chi_Minh';

/** Cron in Vietnamese time: the daily digest on working-day mornings, the weekly one on Monday. */
export async function scheduleDigests(queue: Queue<DigestJob>, s: DigestSchedule): Promise<void> {
  await queue.upsertJobScheduler(
    'digest-daily',
    { pattern: s.dailyCron, tz: DIGEST_TZ },
    { name: 'daily', data: { task: 'daily' } },
  );
  await queue.upsertJobScheduler(
    'digest-weekly',
    { pattern: s.weeklyCron, tz: DIGEST_TZ },
    { name: 'weekly', data: { task: 'weekly' } },
  );
}

export function createDigestProcessor(deps: () => DigestDeps, now: () => Date) {
  return async (job: Job<DigestJob>): Promise<unknown> => {
    const data = parseJob(digestJobSchema, job.data);
    const at = data.at ? new Date(data.at) : now();
    return data.task === 'daily' ? runDailyDigests(deps(), at) : { inspection: await runWeeklySummary(deps(), at) };
  };
}
