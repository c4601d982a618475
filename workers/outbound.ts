import { eq, getTableColumns, sql } from 'drizzle-orm';
import { DelayedError, type Job } from 'bullmq';
import type { Db } from '../src/db/client';
import { outboundMessages, ticketEvents, tickets } from '../src/db/schema';
import { errorCode, errorMessage } from '../src/errors';
import { parseJob, permanent } from '../src/queues/job-errors';
import { outboundJobSchema, type OutboundJob } from '../src/queues/queues';
import type { ZaloClient } from '../src/zalo/client';
import { ZaloApiError } from '../src/zalo/errors';
import { csMessageSchema } from '../src/zalo/messages';

export interface OutboundDeps {
  db: Db;
  zalo: Pick<ZaloClient, 'sendMessage'>;
  /** Called on Zalo's −32: pauses the whole queue (BullMQ worker.rateLimit) before the job is retried. */
  onRateLimited: (ms: number) => Promise<Error>;
  rateLimitPauseMs?: number;
  orderWaitMs?: number;
  orderHoldLimitMs?: number;
  now?: () => Date;
}

/** Back-off applied to the whole outbound queue when Zalo answers −32. */
export const RATE_LIMIT_PAUSE_MS = 30_000;

/** How long a message waits, at least and at most, before it looks again whether an earlier one left. */
export const ORDER_WAIT_MS = 200;
export const ORDER_WAIT_MAX_MS = 30_000;
/**
 * An earlier message pending for longer than this no longer holds later ones back: it is stuck
 * (its job lost until the outbox sweep, or retrying through a long Zalo outage), and a citizen
 * should not go silent behind it.
 */
export const ORDER_HOLD_LIMIT_MS = 5 * 60_000;

/**
 * Outbound job: one outbox row → one Zalo CS send. A row that is no longer pending is done (a
 * retried or duplicated job never sends twice); the row records the outcome either way.
 */
export function createOutboundProcessor(deps: OutboundDeps) {
  const now = deps.now ?? (() => new Date());
  const record = (id: number, patch: Partial<typeof outboundMessages.$inferInsert>) =>
    deps.db
      .update(outboundMessages)
      .set({ ...patch, attempts: sql`${outboundMessages.attempts} + 1`, updatedAt: now() })
      .where(eq(outboundMessages.id, id));

  return async (job: Job<OutboundJob>, token?: string): Promise<{ status: string }> => {
    const { outboundId } = parseJob(outboundJobSchema, job.data);
    // Real time, not `now`: created_at is written by the database clock.
    const holdSince = new Date(Date.now() - (deps.orderHoldLimitMs ?? ORDER_HOLD_LIMIT_MS));
    // One statement reads the row and whether an earlier message to the same citizen is still pending:
    // jobs run in parallel, so without this the rating question could overtake the answer it follows.
    // The outer columns are spelled out because Drizzle leaves them unqualified in a one-table select,
    // where inside the subquery they would name `earlier`'s own.
    const [row] = await deps.db
      .select({
        ...getTableColumns(outboundMessages),
        // Milliseconds since the oldest earlier pending message was written; null when there is none.
        earlierPendingMs: sql<number | null>`(select extract(epoch from now() - min(earlier.created_at))::float8 * 1000
          from outbound_messages earlier
          where earlier.zalo_user_id = outbound_messages.zalo_user_id and earlier.status = 'pending'
            and earlier.id < outbound_messages.id and earlier.created_at > ${holdSince})`,
      })
      .from(outboundMessages)
      .where(eq(outboundMessages.id, outboundId));
    if (!row) throw permanent('NOT_FOUND', `outbound message ${outboundId} does not exist`);
    if (row.status !== 'pending') return { status: row.status };
    if (row.earlierPendingMs !== null && token) {
      // Not an attempt: the job goes back to the delayed set and looks again later — soon behind a
      // message being sent now, up to 30 s apart behind one retrying through a Zalo outage.
      const waitMs = Math.min(ORDER_WAIT_MAX_MS, Math.max(deps.orderWaitMs ?? ORDER_WAIT_MS, row.earlierPendingMs / 2));
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError();
    }
    const message = csMessageSchema.safeParse(row.message);
    if (!message.success) throw permanent('JOB_PAYLOAD_INVALID', `outbound ${outboundId}: ${message.error.message}`);
    try {
      const sent = await deps.zalo.sendMessage(row.zaloUserId, message.data);
      await record(row.id, {
        status: 'sent',
        zaloMessageId: sent.messageId,
        sentAt: now(),
        errorCode: null,
        errorMessage: null,
      });
      return { status: 'sent' };
    } catch (e) {
      const kind = e instanceof ZaloApiError ? e.kind : 'transient';
      if (kind === 'window') {
        // Not a failure of ours: the 7-day window closed. The ticket records that another channel is needed.
        await deps.db.transaction(async (tx) => {
          await tx
            .update(outboundMessages)
            .set({
              status: 'window_closed',
              errorCode: errorCode(e),
              errorMessage: errorMessage(e),
              attempts: sql`${outboundMessages.attempts} + 1`,
              updatedAt: now(),
            })
            .where(eq(outboundMessages.id, row.id));
          if (row.ticketId) {
            await tx
              .update(tickets)
              .set({ needsOtherChannelAt: now(), updatedAt: now() })
              .where(eq(tickets.id, row.ticketId));
            await tx.insert(ticketEvents).values({
              ticketId: row.ticketId,
              type: 'channel_needed',
              actor: 'system',
              data: {
                outboundId: row.id,
                zaloCode: e instanceof ZaloApiError ? e.zaloCode : null,
                reason: 'zalo_window_closed',
              },
            });
          }
        });
        return { status: 'window_closed' };
      }
      await record(row.id, { errorCode: errorCode(e), errorMessage: errorMessage(e).slice(0, 1000) });
      if (kind === 'rate') throw await deps.onRateLimited(deps.rateLimitPauseMs ?? RATE_LIMIT_PAUSE_MS);
      if (kind === 'permanent') throw permanent(errorCode(e), errorMessage(e));
      throw e;
    }
  };
}

/** After the last attempt the row is marked failed, so people see the message never left. */
export async function markOutboundFailed(db: Db, job: Job<OutboundJob>, e: unknown): Promise<void> {
  const id = (job.data as { outboundId?: unknown }).outboundId;
  if (typeof id !== 'number') return;
  await db
    .update(outboundMessages)
    .set({
      status: 'failed',
      errorCode: errorCode(e),
      errorMessage: errorMessage(e).slice(0, 1000),
      updatedAt: new Date(),
    })
    .where(eq(outboundMessages.id, id));
}
