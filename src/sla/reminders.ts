import type { Queue } from 'bullmq';
import { and, eq, inArray, isNotNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { notifications, slaAlerts, ticketClocks, ticketEvents, tickets } from '../db/schema';
import { slaJobId, type SlaJob } from '../queues/queues';
import { reminderTimes, REMINDER_STAGES, type ReminderStage } from './clocks';
import { slaContext, type SlaContext } from './deadlines';
import { policyFor } from './policy';

/**
 * Reminders are delayed jobs on the sla queue, one per clock, stage and due time. The clock row
 * remembers the due time its jobs were made for (scheduled_due_at), like the outbox: whatever writes
 * a clock (intake, transfer, pause) leaves it out of step, and syncReminders — called right after
 * those writes and by a periodic sweep — removes the old jobs and adds the new ones.
 */
export interface SyncOptions {
  clockIds?: number[];
  now?: () => Date;
  ctx?: SlaContext;
  limit?: number;
}

export async function syncReminders(db: Db, queue: Queue<SlaJob>, opts: SyncOptions = {}): Promise<number> {
  const ctx = opts.ctx ?? slaContext();
  const now = (opts.now ?? (() => new Date()))();
  const c = ticketClocks;
  const outOfStep = or(
    and(eq(c.status, 'running'), sql`${c.dueAt} is distinct from ${c.scheduledDueAt}`),
    and(ne(c.status, 'running'), isNotNull(c.scheduledDueAt)),
  );
  const rows = await db
    .select({ clock: c, category: tickets.category })
    .from(c)
    .innerJoin(tickets, eq(tickets.id, c.ticketId))
    .where(opts.clockIds ? and(inArray(c.id, opts.clockIds), outOfStep) : outOfStep)
    .limit(opts.limit ?? 500);
  for (const { clock, category } of rows) {
    if (clock.scheduledDueAt) {
      for (const stage of REMINDER_STAGES) {
        // An active job cannot be removed; it finds its clock moved and does nothing.
        await queue.remove(slaJobId(clock.ticketId, clock.id, stage, clock.scheduledDueAt)).catch(() => 0);
      }
    }
    const dueAt = clock.status === 'running' ? clock.dueAt : null;
    if (dueAt) {
      const times = reminderTimes(clock.startedAt, dueAt, policyFor(ctx.policy, category), ctx.cal);
      await queue.addBulk(
        REMINDER_STAGES.map((stage) => ({
          name: stage,
          data: {
            ticketId: clock.ticketId,
            clockId: clock.id,
            stage,
            dueAt: dueAt.toISOString(),
            fireAt: times[stage].toISOString(),
          },
          opts: {
            jobId: slaJobId(clock.ticketId, clock.id, stage, dueAt),
            delay: Math.max(0, times[stage].getTime() - now.getTime()),
          },
        })),
      );
    }
    // Only if the clock did not move meanwhile: otherwise the next sync catches up.
    await db
      .update(c)
      .set({ scheduledDueAt: dueAt })
      .where(and(eq(c.id, clock.id), dueAt ? eq(c.dueAt, dueAt) : sql`true`, eq(c.status, clock.status)));
  }
  return rows.length;
}

const EVENT_TYPE: Record<ReminderStage, string> = { warn: 'sla_warning', due: 'sla_due', escalate: 'sla_escalated' };
const ROLE: Record<ReminderStage, string> = { warn: 'unit', due: 'unit_head', escalate: 'inspection' };

export type ReminderOutcome = 'fired' | 'stale' | 'already_fired';

/**
 * Acts on one reminder, at most once: the clock must still be running with the same due time, and
 * the alert row's unique key turns a second firing (a retry, a restart, a duplicate job) into a no-op.
 * The alert, the audit event and the notification are one transaction.
 */
export async function fireReminder(
  db: Db,
  job: Extract<SlaJob, { clockId: number }>,
  ctx: SlaContext = slaContext(),
): Promise<ReminderOutcome> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ clock: ticketClocks, category: tickets.category, trackingCode: tickets.trackingCode })
      .from(ticketClocks)
      .innerJoin(tickets, eq(tickets.id, ticketClocks.ticketId))
      .where(eq(ticketClocks.id, job.clockId))
      .for('update', { of: ticketClocks });
    const dueAt = new Date(job.dueAt);
    if (!row || row.clock.status !== 'running' || row.clock.dueAt?.getTime() !== dueAt.getTime()) return 'stale';
    const inserted = await tx
      .insert(slaAlerts)
      .values({ clockId: job.clockId, ticketId: job.ticketId, stage: job.stage, dueAt })
      .onConflictDoNothing()
      .returning({ id: slaAlerts.id });
    if (!inserted.length) return 'already_fired';
    const { clock } = row;
    const eff = policyFor(ctx.policy, row.category);
    const data = {
      clockId: clock.id,
      clock: clock.kind,
      unitCode: clock.unitCode,
      dueAt: job.dueAt,
      trackingCode: row.trackingCode,
    };
    await tx.insert(notifications).values({
      ticketId: job.ticketId,
      unitCode: job.stage === 'escalate' ? eff.escalateTo : clock.unitCode,
      role: ROLE[job.stage],
      kind: EVENT_TYPE[job.stage],
      data,
    });
    await tx.insert(ticketEvents).values({
      ticketId: job.ticketId,
      type: EVENT_TYPE[job.stage],
      actor: 'system',
      data: { ...data, alertId: inserted[0]!.id },
    });
    return 'fired';
  });
}
