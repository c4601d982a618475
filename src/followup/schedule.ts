import type { Queue } from 'bullmq';
import { and, eq, gte, inArray, isNotNull, isNull, notInArray, sql } from 'drizzle-orm';
import { CLOSED } from '../tickets/statuses';
import type { Db } from '../db/client';
import { progressUpdates, tickets } from '../db/schema';
import { followupJobId, type FollowupJob } from '../queues/queues';
import { progressSchedule, type FollowupKind } from './channel';

/**
 * Keeps one delayed job per message owed: for each open ticket the update due now (if it has not
 * gone out) and the next one; for answered tickets whose answer did not get through, the answer;
 * and the rating request. Ids are deterministic, so a sweep after a restart re-adds nothing that
 * exists, and the progress_updates row stops a second delivery of anything that ran.
 */
export interface SweepOptions {
  now: Date;
  progressEveryDays: number;
  /** The rating request follows the answer by this much (the answer is read first). */
  ratingDelayMs?: number;
  /** Ratings are not asked for answers older than this. */
  ratingWithinDays?: number;
  limit?: number;
}

type Add = { name: FollowupKind; data: FollowupJob; opts: { jobId: string; delay: number } };
const DAY_MS = 24 * 3600 * 1000;

export async function syncFollowups(db: Db, queue: Queue<FollowupJob>, o: SweepOptions): Promise<number> {
  const limit = o.limit ?? 5000;
  const jobs: Add[] = [];
  const add = (ticketId: number, kind: FollowupKind, seq: number, at: Date) =>
    jobs.push({
      name: kind,
      data: { ticketId, kind, seq },
      opts: { jobId: followupJobId(ticketId, kind, seq), delay: Math.max(0, at.getTime() - o.now.getTime()) },
    });

  const open = await db
    .select({ id: tickets.id, receivedAt: tickets.receivedAt, last: sql<number | null>`max(${progressUpdates.seq})` })
    .from(tickets)
    .leftJoin(progressUpdates, and(eq(progressUpdates.ticketId, tickets.id), eq(progressUpdates.kind, 'progress')))
    .where(and(notInArray(tickets.status, [...CLOSED]), isNull(tickets.mergedIntoId)))
    .groupBy(tickets.id)
    .limit(limit);
  for (const t of open) {
    const s = progressSchedule(t.receivedAt, o.now, o.progressEveryDays);
    if (s.current >= 1 && Number(t.last ?? 0) < s.current) add(t.id, 'progress', s.current, o.now);
    add(t.id, 'progress', s.current + 1, s.dueAt(s.current + 1));
  }

  const answered = and(
    isNotNull(tickets.answeredAt),
    inArray(tickets.status, ['da_co_ket_qua', 'da_cong_khai', 'dong']),
  );
  const missing = (kind: FollowupKind) =>
    sql`not exists (select 1 from ${progressUpdates} where ${progressUpdates.ticketId} = ${tickets.id} and ${progressUpdates.kind} = ${kind})`;
  // The answer went through the outbox when it was given; only one that met a closed window is owed again.
  const unsent = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(answered, sql`${tickets.needsOtherChannelAt} >= ${tickets.answeredAt}`, missing('answer')))
    .limit(limit);
  for (const t of unsent) add(t.id, 'answer', 0, o.now);

  const since = new Date(o.now.getTime() - (o.ratingWithinDays ?? 30) * DAY_MS);
  const unrated = await db
    .select({ id: tickets.id, answeredAt: tickets.answeredAt })
    .from(tickets)
    .where(and(answered, isNull(tickets.rating), gte(tickets.answeredAt, since), missing('rating')))
    .limit(limit);
  for (const t of unrated) add(t.id, 'rating', 0, new Date(t.answeredAt!.getTime() + (o.ratingDelayMs ?? 3600_000)));

  for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
  return jobs.length;
}
