import type { Job, Queue } from 'bullmq';
import type { Db } from '../src/db/client';
import { sweepOutbox } from '../src/outbound/outbox';
import { parseJob } from '../src/queues/job-errors';
import { maintenanceJobSchema, type MaintenanceJob, type OutboundJob } from '../src/queues/queues';
import type { TokenManager } from '../src/zalo/tokens';

export interface MaintenanceDeps {
  db: Db;
  outbound: Queue<OutboundJob>;
  tokens: Pick<TokenManager, 'getAccessToken'>;
}

/** Periodic chores, scheduled with BullMQ job schedulers (deterministic ids, one per task). */
export const SCHEDULES: Array<{ id: MaintenanceJob['task']; every: number }> = [
  { id: 'outbox-sweep', every: 30_000 },
  // Refreshes ahead of expiry even when nobody writes in: a 25 h token must not lapse overnight.
  { id: 'token-refresh', every: 10 * 60_000 },
];

export async function scheduleMaintenance(queue: Queue<MaintenanceJob>): Promise<void> {
  for (const s of SCHEDULES) {
    await queue.upsertJobScheduler(s.id, { every: s.every }, { name: s.id, data: { task: s.id } });
  }
}

export function createMaintenanceProcessor(deps: MaintenanceDeps) {
  return async (job: Job<MaintenanceJob>): Promise<unknown> => {
    const { task } = parseJob(maintenanceJobSchema, job.data);
    if (task === 'outbox-sweep') return { requeued: await sweepOutbox(deps.db, deps.outbound) };
    await deps.tokens.getAccessToken();
    return { ok: true };
  };
}
