import { asc, desc, eq, isNull, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import { deadLetters, users } from '../db/schema';
import { QUEUE, type QueueName } from '../queues/queues';
import { dashboardFigures, periodSchema, type Period } from '../console/dashboard';
import { ApiError } from './errors';
import { INSPECT, endpoint } from './define';

const idParams = z.object({ id: z.coerce.number().int().positive() });

export const adminEndpoints = [
  endpoint<Record<string, never>, Period & { dimension?: 'category' | 'commune' }>({
    method: 'get',
    path: '/dashboard',
    summary: 'Inspectors: on-time rate per unit, overdue and soon-due, conduct reports, satisfaction, trends.',
    roles: INSPECT,
    query: periodSchema,
    handler: ({ query, services: s }) => dashboardFigures(s.db, query),
  }),
  endpoint({
    method: 'get',
    path: '/admin/users',
    summary: 'Admins: the console accounts (never a password hash or TOTP secret).',
    roles: ['admin'],
    handler: async ({ services: s }) => ({
      items: await s.db
        .select({
          id: users.id,
          email: users.email,
          role: users.role,
          unitCode: users.unitCode,
          displayName: users.displayName,
          disabled: users.disabled,
          totp: isNotNull(users.totpSecret),
          createdAt: users.createdAt,
          lastLoginAt: users.lastLoginAt,
        })
        .from(users)
        .orderBy(asc(users.email))
        .limit(2000),
    }),
  }),
  endpoint<Record<string, never>, { retried?: 'true' | 'false' }>({
    method: 'get',
    path: '/admin/dead-letters',
    summary: 'Admins: jobs that failed for good, newest first.',
    roles: ['admin'],
    query: z.object({ retried: z.enum(['true', 'false']).optional() }),
    handler: async ({ query, services: s }) => ({
      items: await s.db
        .select()
        .from(deadLetters)
        .where(query.retried === 'false' ? isNull(deadLetters.retriedAt) : undefined)
        .orderBy(desc(deadLetters.id))
        .limit(500),
    }),
  }),
  endpoint<z.infer<typeof idParams>>({
    method: 'post',
    path: '/admin/dead-letters/:id/retry',
    summary: 'Admins: put a dead job back on its queue (a new job id; the payload as stored).',
    roles: ['admin'],
    params: idParams,
    handler: async ({ params, services: s }) => {
      const [row] = await s.db.select().from(deadLetters).where(eq(deadLetters.id, params.id));
      if (!row) throw new ApiError('NOT_FOUND', 'No such dead letter.');
      if (!(Object.values(QUEUE) as string[]).includes(row.queue))
        throw new ApiError('CONFLICT', `Unknown queue ${row.queue}.`);
      const queue = s.deps.queues[row.queue as QueueName];
      // Idempotent jobs (inbound by event, outbound by outbox row) make a second run safe.
      const job = await queue.add(row.jobName as never, row.payload as never, {
        jobId: `retry-${row.id}-${Date.now()}`,
      });
      await s.db.update(deadLetters).set({ retriedAt: new Date() }).where(eq(deadLetters.id, row.id));
      return { retried: true, jobId: job.id };
    },
  }),
];
