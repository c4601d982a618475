import type { Job, Queue } from 'bullmq';
import type { Db } from '../src/db/client';
import { parseJob } from '../src/queues/job-errors';
import { slaJobSchema, type SlaJob } from '../src/queues/queues';
import { loadCalendar } from '../src/sla/calendar-store';
import { setSlaContext, slaContext } from '../src/sla/deadlines';
import { fireReminder, syncReminders } from '../src/sla/reminders';

export interface SlaDeps {
  db: Db;
  queue: Queue<SlaJob>;
}

export const SLA_SWEEP_EVERY_MS = 30_000;

export async function scheduleSlaSweep(queue: Queue<SlaJob>): Promise<void> {
  await queue.upsertJobScheduler(
    'sla-sweep',
    { every: SLA_SWEEP_EVERY_MS },
    { name: 'sla-sweep', data: { task: 'sla-sweep' } },
  );
}

/** Reminders fire; the sweep reloads the calendar (administrators' overrides) and schedules missing reminders. */
export function createSlaProcessor(deps: SlaDeps) {
  return async (job: Job<SlaJob>): Promise<unknown> => {
    const data = parseJob(slaJobSchema, job.data);
    if ('task' in data) {
      setSlaContext({ policy: slaContext().policy, cal: await loadCalendar(deps.db) });
      return { synced: await syncReminders(deps.db, deps.queue) };
    }
    return { outcome: await fireReminder(deps.db, data) };
  };
}
