import { z } from 'zod';
import { QUEUE, type QueueName } from '../queues/queues';
import { ApiError } from './errors';
import { endpoint } from './define';
import type { ApiServices } from './router';

/**
 * Queue health for admins: counts per queue and state, the failed jobs of one queue (names, reasons,
 * attempts — never the payload, which can hold a citizen's message), and retry of failed jobs.
 * Jobs that failed for good also land in dead_letters, retried through /admin/dead-letters.
 */
const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed'] as const;
const NAMES = Object.values(QUEUE) as [QueueName, ...QueueName[]];
const queueParams = z.object({ queue: z.enum(NAMES) });
const jobParams = queueParams.extend({ id: z.string().min(1).max(200) });
const failedQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const queueOf = (s: ApiServices, name: QueueName) => s.deps.queues[name];

export const queueEndpoints = [
  endpoint({
    method: 'get',
    path: '/admin/queues',
    summary: 'Admins: job counts per queue and state, and whether the queue is paused.',
    roles: ['admin'],
    handler: async ({ services: s }) => ({
      queues: await Promise.all(
        NAMES.map(async (name) => {
          const q = queueOf(s, name);
          return { name, paused: await q.isPaused(), counts: await q.getJobCounts(...STATES) };
        }),
      ),
    }),
  }),
  endpoint<z.infer<typeof queueParams>, z.infer<typeof failedQuery>>({
    method: 'get',
    path: '/admin/queues/:queue/failed',
    summary: 'Admins: the latest failed jobs of a queue, without their payloads.',
    roles: ['admin'],
    params: queueParams,
    query: failedQuery,
    handler: async ({ params, query, services: s }) => ({
      items: (await queueOf(s, params.queue).getFailed(0, query.limit - 1)).filter(Boolean).map((j) => ({
        id: j.id,
        name: j.name,
        failedReason: j.failedReason,
        attemptsMade: j.attemptsMade,
        timestamp: j.timestamp,
        finishedOn: j.finishedOn ?? null,
      })),
    }),
  }),
  endpoint<z.infer<typeof queueParams>>({
    method: 'post',
    path: '/admin/queues/:queue/retry-failed',
    summary: 'Admins: put every failed job of a queue back to wait (same job ids: handlers are idempotent).',
    roles: ['admin'],
    params: queueParams,
    handler: async ({ params, services: s }) => {
      const q = queueOf(s, params.queue);
      const failed = await q.getJobCountByTypes('failed');
      await q.retryJobs({ state: 'failed' });
      return { retried: failed };
    },
  }),
  endpoint<z.infer<typeof jobParams>>({
    method: 'post',
    path: '/admin/queues/:queue/jobs/:id/retry',
    summary: 'Admins: retry one failed job.',
    roles: ['admin'],
    params: jobParams,
    handler: async ({ params, services: s }) => {
      const job = await queueOf(s, params.queue).getJob(params.id);
      if (!job) throw new ApiError('NOT_FOUND', 'No such job.');
      if (!(await job.isFailed())) throw new ApiError('CONFLICT', 'The job has not failed.');
      await job.retry('failed');
      return { retried: true, jobId: job.id };
    },
  }),
];
