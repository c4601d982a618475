import { and, eq, lt } from 'drizzle-orm';
import type { Queue } from 'bullmq';
import type { Db } from '../db/client';
import { outboundMessages } from '../db/schema';
import { outboundJobId, type OutboundJob } from '../queues/queues';
import type { CsMessage } from '../zalo/messages';

export interface OutboxItem {
  /** Deterministic per cause (e.g. `ack:<inbound id>`): a re-run of the cause never sends twice. */
  dedupeKey: string;
  zaloUserId: string;
  ticketId?: number | null;
  message: CsMessage;
}

/**
 * Writes a message to the outbox inside the caller's transaction and returns its id. The queue job
 * is added after commit (enqueueOutbound); the sweeper re-adds any row a crash left behind.
 */
export async function putInOutbox(tx: Db, item: OutboxItem): Promise<number> {
  const inserted = await tx
    .insert(outboundMessages)
    .values({
      dedupeKey: item.dedupeKey,
      zaloUserId: item.zaloUserId,
      ticketId: item.ticketId ?? null,
      message: item.message as Record<string, unknown>,
    })
    .onConflictDoNothing({ target: outboundMessages.dedupeKey })
    .returning({ id: outboundMessages.id });
  if (inserted[0]) return inserted[0].id;
  const [row] = await tx
    .select({ id: outboundMessages.id })
    .from(outboundMessages)
    .where(eq(outboundMessages.dedupeKey, item.dedupeKey));
  return row!.id;
}

export async function enqueueOutbound(queue: Queue<OutboundJob>, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await queue.addBulk(
    ids.map((id) => ({ name: 'send', data: { outboundId: id }, opts: { jobId: outboundJobId(id) } })),
  );
}

/** Re-adds jobs for rows still pending after `olderThanMs` (a crash between commit and enqueue). */
export async function sweepOutbox(
  db: Db,
  queue: Queue<OutboundJob>,
  olderThanMs = 30_000,
  now = new Date(),
): Promise<number> {
  const rows = await db
    .select({ id: outboundMessages.id })
    .from(outboundMessages)
    .where(
      and(
        eq(outboundMessages.status, 'pending'),
        lt(outboundMessages.createdAt, new Date(now.getTime() - olderThanMs)),
      ),
    )
    .limit(1000);
  await enqueueOutbound(
    queue,
    rows.map((r) => r.id),
  );
  return rows.length;
}
