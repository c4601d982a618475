import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { Db } from '../src/db/client';
import { log } from '../src/log';
import { withDeadLetter } from '../src/queues/job-errors';
import {
  QUEUE,
  type DialogueJob,
  ATTACHMENT_BACKOFF,
  type AttachmentJob,
  type InboundJob,
  type MaintenanceJob,
  type OutboundJob,
  type Queues,
  type SlaJob,
  type FollowupJob,
  type DigestJob,
} from '../src/queues/queues';
import type { DigestSchedule, ZnsConfig } from '../src/config/env';
import { settleDeadFollowup } from '../src/followup/deliver';
import type { Mailer } from '../src/sla/digests';
import { createDigestProcessor, scheduleDigests } from './digest';
import { createFollowupProcessor, scheduleFollowupSweep } from './followup';
import { loadCalendar } from '../src/sla/calendar-store';
import { setSlaContext, slaContext } from '../src/sla/deadlines';
import { loadSlaPolicy } from '../src/sla/policy';
import type { AttachmentConfig } from '../src/config/env';
import { createAttachmentProcessor, settleDeadAttachment } from '../src/attachments/download-job';
import type { ZaloClient } from '../src/zalo/client';
import type { TokenManager } from '../src/zalo/tokens';
import type { Understand } from '../src/understand/understand';
import { createDialogueProcessor } from './dialogue';
import { DEFAULT_DIALOGUE, type DialogueSettings } from '../src/config/env';
import { NO_NAMES, type Names } from '../src/routing/names';
import { createInboundProcessor } from './inbound';
import { startIntakePump } from './intake-pump';
import { createMaintenanceProcessor, scheduleMaintenance } from './maintenance';
import { createOutboundProcessor, markOutboundFailed } from './outbound';
import { createSlaProcessor, scheduleSlaSweep } from './sla';

export interface WorkerDeps {
  db: Db;
  connection: ConnectionOptions;
  prefix: string;
  queues: Queues;
  zalo: Pick<ZaloClient, 'sendMessage'> & Partial<Pick<ZaloClient, 'sendZns'>>;
  /** ZNS templates for citizens outside the 7-day window (none configured: the call list). */
  zns?: ZnsConfig;
  /** Digests are mailed through it; undefined = stored and marked skipped. */
  mailer?: Mailer;
  digestSchedule?: DigestSchedule;
  /** The follow-up's and digests' clock (tests control it). */
  now?: () => Date;
  tokens: Pick<TokenManager, 'getAccessToken'>;
  sendRatePerMin: number;
  understand?: Understand;
  /** Whose deadline policy applies (data/provinces/<code>.sla.json); the shipped default otherwise. */
  provinceCode?: string;
  dialogue?: DialogueSettings;
  names?: () => Names;
  inboundConcurrency?: number;
  outboundConcurrency?: number;
  /** Tests drive schedules themselves. */
  schedule?: boolean;
  /** How long a job's lock lasts and how often stalled jobs are looked for (BullMQ defaults: 30 s). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  rateLimitPauseMs?: number;
  /** Citizens' attachments: where they are stored, the limits, and extra allowed origins (sandbox). */
  attachments: { dataDir: string; config: AttachmentConfig; origins: readonly string[] };
  attachmentConcurrency?: number;
}

export interface RunningWorkers {
  workers: Worker[];
  /** Waits for active jobs up to the deadline, then closes anyway: their jobs become stalled and re-run. */
  close(deadlineMs: number): Promise<void>;
}

export async function startWorkers(deps: WorkerDeps): Promise<RunningWorkers> {
  const common = {
    connection: deps.connection,
    prefix: deps.prefix,
    autorun: true,
    ...(deps.lockDurationMs ? { lockDuration: deps.lockDurationMs } : {}),
    ...(deps.stalledIntervalMs ? { stalledInterval: deps.stalledIntervalMs } : {}),
  };
  const inbound = new Worker<InboundJob>(
    QUEUE.inbound,
    withDeadLetter(
      deps.db,
      createInboundProcessor({
        db: deps.db,
        queues: deps.queues,
        understand: deps.understand,
        dialogue: deps.dialogue,
        names: deps.names,
      }),
    ),
    { ...common, concurrency: deps.inboundConcurrency ?? 8 },
  );
  const dialogue = new Worker<DialogueJob>(
    QUEUE.dialogue,
    withDeadLetter(
      deps.db,
      createDialogueProcessor({
        db: deps.db,
        queues: deps.queues,
        understand: deps.understand,
        settings: deps.dialogue ?? DEFAULT_DIALOGUE,
        names: deps.names ?? (() => NO_NAMES),
      }),
    ),
    { ...common, concurrency: deps.inboundConcurrency ?? 8 },
  );
  const outbound: Worker<OutboundJob> = new Worker<OutboundJob>(
    QUEUE.outbound,
    withDeadLetter(
      deps.db,
      createOutboundProcessor({
        db: deps.db,
        zalo: deps.zalo,
        rateLimitPauseMs: deps.rateLimitPauseMs,
        onRateLimited: async (ms) => {
          await outbound.rateLimit(ms);
          return Worker.RateLimitError();
        },
      }),
      (job, e) => markOutboundFailed(deps.db, job as Job<OutboundJob>, e),
    ),
    {
      ...common,
      concurrency: deps.outboundConcurrency ?? 8,
      // Zalo allows about 4,000 requests a minute per app; the limiter is shared by all workers.
      limiter: { max: deps.sendRatePerMin, duration: 60_000 },
    },
  );
  const maintenance = new Worker<MaintenanceJob>(
    QUEUE.maintenance,
    withDeadLetter(
      deps.db,
      createMaintenanceProcessor({ db: deps.db, outbound: deps.queues.outbound, tokens: deps.tokens }),
    ),
    { ...common, concurrency: 1 },
  );
  // Deadlines use the shipped holidays plus the administrators' overrides from the start.
  const policy = deps.provinceCode ? loadSlaPolicy(deps.provinceCode) : slaContext().policy;
  setSlaContext({ policy, cal: await loadCalendar(deps.db) });
  const sla = new Worker<SlaJob>(
    QUEUE.sla,
    withDeadLetter(deps.db, createSlaProcessor({ db: deps.db, queue: deps.queues.sla })),
    { ...common, concurrency: 2 },
  );
  const now = deps.now ?? (() => new Date());
  const followup = new Worker<FollowupJob>(
    QUEUE.followup,
    withDeadLetter(
      deps.db,
      createFollowupProcessor({
        db: deps.db,
        queue: deps.queues.followup,
        outbound: deps.queues.outbound,
        zns: deps.zalo.sendZns ? (deps.zalo as Pick<ZaloClient, 'sendZns'>) : undefined,
        templates: deps.zns?.templates ?? {},
        progressEveryDays: policy.progressUpdateEveryDays,
        now,
      }),
      async (job, e) => {
        if (!('task' in job.data)) await settleDeadFollowup(deps.db, job.data, e);
      },
    ),
    { ...common, concurrency: 2 },
  );
  const digest = new Worker<DigestJob>(
    QUEUE.digest,
    withDeadLetter(
      deps.db,
      createDigestProcessor(
        () => ({
          db: deps.db,
          mailer: deps.mailer,
          cal: slaContext().cal,
          names: deps.names?.() ?? NO_NAMES,
          inspectionUnit: policy.reminders.escalateTo,
        }),
        now,
      ),
    ),
    { ...common, concurrency: 1 },
  );
  const attachmentDeps = { db: deps.db, outbound: deps.queues.outbound, ...deps.attachments };
  const attachments = new Worker<AttachmentJob>(
    QUEUE.attachments,
    withDeadLetter(deps.db, createAttachmentProcessor(attachmentDeps), (job, e) =>
      settleDeadAttachment(attachmentDeps, job, e),
    ),
    {
      ...common,
      concurrency: deps.attachmentConcurrency ?? 4,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string) =>
          type === ATTACHMENT_BACKOFF ? deps.attachments.config.retryBaseMs * 2 ** Math.max(0, attemptsMade - 1) : 0,
      },
    },
  );
  const workers: Worker[] = [inbound, outbound, maintenance, sla, dialogue, attachments, followup, digest];
  for (const w of workers) {
    w.on('error', (e) => log.warn('worker error', { queue: w.name, error: e }));
    w.on('failed', (job, e) =>
      log.warn('job failed', { queue: w.name, jobId: job?.id, attempts: job?.attemptsMade, error: e }),
    );
  }
  if (deps.schedule !== false) {
    await scheduleMaintenance(deps.queues.maintenance);
    await scheduleSlaSweep(deps.queues.sla);
    await scheduleFollowupSweep(deps.queues.followup);
    if (deps.digestSchedule) await scheduleDigests(deps.queues.digest, deps.digestSchedule);
  }
  const pumpRedis = new Redis(deps.connection as RedisOptions);
  pumpRedis.on('error', () => undefined);
  const pump = await startIntakePump({ redis: pumpRedis, prefix: deps.prefix, inbound: deps.queues.inbound });
  return {
    workers,
    close: async (deadlineMs: number) => {
      // Stop moving new events first; what stays in the stream is taken by the next start.
      await pump.close();
      let timer: NodeJS.Timeout | undefined;
      const graceful = Promise.all(workers.map((w) => w.close())).then(() => 'closed' as const);
      const deadline = new Promise<'deadline'>((r) => (timer = setTimeout(() => r('deadline'), deadlineMs)));
      const result = await Promise.race([graceful, deadline]);
      clearTimeout(timer);
      if (result === 'deadline') {
        log.warn('workers did not finish in time; forcing close (active jobs will re-run as stalled)', { deadlineMs });
        await Promise.all(workers.map((w) => w.close(true)));
      }
    },
  };
}
