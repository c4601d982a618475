import type { Queue } from 'bullmq';
import { and, eq } from 'drizzle-orm';
import type { ZnsConfig } from '../config/env';
import { vi, viFollowup } from '../conversation/catalogue';
import { awaitRating, notifyCitizen, ratingRequest } from '../conversation/notify';
import { CLOSED } from '../tickets/statuses';
import type { Db } from '../db/client';
import { conversations, progressUpdates, ticketEvents, tickets } from '../db/schema';
import { errorCode } from '../errors';
import { log } from '../log';
import { enqueueOutbound, putInOutbox } from '../outbound/outbox';
import type { OutboundJob } from '../queues/queues';
import { viDate } from '../sla/display';
import type { Ticket } from '../tickets/create-ticket';
import type { ZaloClient } from '../zalo/client';
import { ZaloApiError } from '../zalo/errors';
import { textMessage } from '../zalo/messages';
import { chooseChannel, progressSchedule, type FollowupKind } from './channel';

/**
 * Delivers one message owed to a citizen, at most once: the progress_updates row's unique key
 * (ticket, kind, seq) is taken in the same transaction that writes the outbox row or the call-list
 * entry. A ZNS send happens after commit (row 'sending'); a retry resumes it, and a refusal that
 * names the recipient or our template moves the row to the call list.
 */
export interface FollowupDeps {
  db: Db;
  outbound: Queue<OutboundJob>;
  zns?: Pick<ZaloClient, 'sendZns'>;
  templates: ZnsConfig['templates'];
  progressEveryDays: number;
  now: () => Date;
}

export interface FollowupTarget {
  ticketId: number;
  kind: FollowupKind;
  seq: number;
}

export type FollowupOutcome =
  { outcome: 'queued' | 'sent' | 'to_call' | 'already' | 'not_owed' | 'stale' } | { outcome: 'early'; dueAt: Date };

const ANSWERED = ['da_co_ket_qua', 'da_cong_khai', 'dong'];
/** ZNS template parameters are short; the full answer is on the portal and read out by the operator. */
const ZNS_ANSWER_MAX = 200;

function owed(t: Ticket, kind: FollowupKind): boolean {
  if (kind === 'progress') return !t.mergedIntoId && !(CLOSED as readonly string[]).includes(t.status);
  if (kind === 'answer') return !!t.answeredAt && ANSWERED.includes(t.status);
  return !!t.answeredAt && t.rating === null;
}

interface ZnsSend {
  rowId: number;
  phone: string;
  templateId: string;
  data: Record<string, string>;
}

type Prepared = FollowupOutcome & { outboxIds?: number[]; zns?: ZnsSend };

export async function deliverFollowup(deps: FollowupDeps, job: FollowupTarget): Promise<FollowupOutcome> {
  const now = deps.now();
  const prepared: Prepared = await deps.db.transaction(async (tx) => {
    const [t] = await tx.select().from(tickets).where(eq(tickets.id, job.ticketId)).for('update');
    if (!t || !owed(t, job.kind)) return { outcome: 'not_owed' };
    let dueAt = now;
    if (job.kind === 'progress') {
      const sched = progressSchedule(t.receivedAt, now, deps.progressEveryDays);
      dueAt = sched.dueAt(job.seq);
      if (job.seq > sched.current) return { outcome: 'early', dueAt };
      // After downtime only the latest update goes out, not one per missed period.
      if (job.seq < sched.current) return { outcome: 'stale' };
    }
    const key = and(
      eq(progressUpdates.ticketId, t.id),
      eq(progressUpdates.kind, job.kind),
      eq(progressUpdates.seq, job.seq),
    );
    const [done] = await tx.select().from(progressUpdates).where(key);
    const [conv] = await tx.select().from(conversations).where(eq(conversations.id, t.conversationId));
    const phone = conv?.contactPhone ?? null;
    const templateId = deps.templates[job.kind];
    if (done) {
      if (done.status !== 'sending' || !templateId || !phone) return { outcome: 'already' };
      return { outcome: 'sent', zns: { rowId: done.id, phone, templateId, data: znsData(t, job.kind) } };
    }
    const choice = chooseChannel({
      lastUserMessageAt: conv?.lastUserMessageAt ?? null,
      now,
      znsTemplate: templateId,
      phone,
    });
    const base = { ticketId: t.id, kind: job.kind, seq: job.seq, dueAt, channel: choice.channel };
    if (choice.channel === 'zalo_cs') {
      const outboxIds = await composeCs(tx, t, job, now);
      await tx.insert(progressUpdates).values({ ...base, status: 'queued', outboxIds });
      await record(tx, t.id, job, 'zalo_cs');
      return { outcome: 'queued', outboxIds };
    }
    if (choice.channel === 'call') {
      await tx.insert(progressUpdates).values({ ...base, status: 'to_call', errorCode: choice.reason });
      await record(tx, t.id, job, 'call', choice.reason);
      return { outcome: 'to_call' };
    }
    const [row] = await tx
      .insert(progressUpdates)
      .values({ ...base, status: 'sending' })
      .returning({ id: progressUpdates.id });
    await record(tx, t.id, job, 'zns');
    return {
      outcome: 'sent',
      zns: { rowId: row!.id, phone: phone!, templateId: templateId!, data: znsData(t, job.kind) },
    };
  });
  if (prepared.outboxIds?.length) await enqueueOutbound(deps.outbound, prepared.outboxIds);
  if (prepared.zns) return sendZns(deps, prepared.zns);
  const { outboxIds: _o, zns: _z, ...outcome } = prepared;
  return outcome;
}

async function sendZns(deps: FollowupDeps, z: ZnsSend): Promise<FollowupOutcome> {
  const set = (v: Partial<typeof progressUpdates.$inferInsert>) =>
    deps.db
      .update(progressUpdates)
      .set({ ...v, updatedAt: deps.now() })
      .where(eq(progressUpdates.id, z.rowId));
  if (!deps.zns) {
    await set({ channel: 'call', status: 'to_call', errorCode: 'zns_not_configured' });
    return { outcome: 'to_call' };
  }
  try {
    const r = await deps.zns.sendZns({
      phone: z.phone,
      templateId: z.templateId,
      templateData: z.data,
      trackingId: `pu-${z.rowId}`,
    });
    await set({ status: 'sent', znsMsgId: r.msgId || null });
    return { outcome: 'sent' };
  } catch (e) {
    // Retrying cannot help this citizen or this template: an operator calls instead.
    if (e instanceof ZaloApiError && (e.kind === 'recipient' || e.kind === 'permanent')) {
      if (e.code === 'ZNS_TEMPLATE_INVALID')
        log.error('ZNS template refused; check its id and parameters', {
          templateId: z.templateId,
          zaloCode: e.zaloCode,
        });
      await set({ channel: 'call', status: 'to_call', errorCode: e.code });
      return { outcome: 'to_call' };
    }
    throw e;
  }
}

/** A ZNS send that failed for good (retries exhausted): the citizen goes on the call list. */
export async function settleDeadFollowup(db: Db, job: FollowupTarget, e: unknown): Promise<void> {
  await db
    .update(progressUpdates)
    .set({ channel: 'call', status: 'to_call', errorCode: errorCode(e), updatedAt: new Date() })
    .where(
      and(
        eq(progressUpdates.ticketId, job.ticketId),
        eq(progressUpdates.kind, job.kind),
        eq(progressUpdates.seq, job.seq),
        eq(progressUpdates.status, 'sending'),
      ),
    );
}

function znsData(t: Ticket, kind: FollowupKind): Record<string, string> {
  if (kind === 'progress') return { tracking_code: t.trackingCode, status: viFollowup.statusLabel(t.status) };
  if (kind === 'answer')
    return { tracking_code: t.trackingCode, answer: (t.publicAnswer ?? '').slice(0, ZNS_ANSWER_MAX) };
  return { tracking_code: t.trackingCode };
}

async function composeCs(tx: Db, t: Ticket, job: FollowupTarget, now: Date): Promise<number[]> {
  if (job.kind === 'progress') {
    const note = viFollowup.progressNote(t.status, t.answerDueAt ? viDate(t.answerDueAt) : null);
    return (await notifyCitizen(tx, t.id, 'progress', { key: `followup-${job.seq}`, note }, now)).outboxIds;
  }
  const out = (dedupeKey: string, message: Parameters<typeof putInOutbox>[1]['message']) =>
    putInOutbox(tx, { dedupeKey, zaloUserId: t.zaloUserId, ticketId: t.id, message });
  if (job.kind === 'answer')
    return [
      await out(
        `followup-answer:${t.id}`,
        textMessage(vi.answered(t.trackingCode, t.publicAnswer ?? '').slice(0, 2000)),
      ),
    ];
  const [c] = await tx.select().from(conversations).where(eq(conversations.id, t.conversationId)).for('update');
  const asked = c?.state === 'rating_pending' && (c.stateData.ticket as { id?: number } | undefined)?.id === t.id;
  if (asked || !c) return [];
  await awaitRating(tx, c, t);
  return [await out(`followup-rating:${t.id}`, ratingRequest(t.trackingCode))];
}

async function record(tx: Db, ticketId: number, job: FollowupTarget, channel: string, reason?: string) {
  await tx.insert(ticketEvents).values({
    ticketId,
    type: 'followup',
    actor: 'system',
    data: { kind: job.kind, seq: job.seq, channel, ...(reason ? { reason } : {}) },
  });
}
