import { and, eq } from 'drizzle-orm';
import type { Job } from 'bullmq';
import type { Db } from '../src/db/client';
import { conversations, inboundEvents } from '../src/db/schema';
import { handleEvent, type EventContext } from '../src/conversation/handle-event';
import { nfc } from '../src/text/fold';
import { pinOf, type Understand } from '../src/understand/understand';
import { enqueueOutbound } from '../src/outbound/outbox';
import { syncReminders } from '../src/sla/reminders';
import { enqueueAttachmentDownloads } from '../src/attachments/record';
import { parseJob, permanent } from '../src/queues/job-errors';
import { inboundJobSchema, scheduleBursts, type InboundJob, type Queues } from '../src/queues/queues';
import { DEFAULT_DIALOGUE, type DialogueSettings } from '../src/config/env';
import { NO_NAMES, type Names } from '../src/routing/names';
import { citizenIdOf, msgIdOf } from '../webhooks/zalo-events';

export interface InboundDeps {
  db: Db;
  queues: Pick<Queues, 'outbound' | 'dialogue'> & Partial<Pick<Queues, 'sla' | 'attachments'>>;
  /** Classifies and routes a citizen's text; absent, tickets are opened unclassified (for triage). */
  understand?: Understand;
  dialogue?: DialogueSettings;
  /** Unit and commune names from the routing configuration in force. */
  names?: () => Names;
}

/** Classification and routing happen before the transaction (they read the database themselves). */
async function understandText(deps: InboundDeps, event: Record<string, unknown>): Promise<EventContext> {
  if (!deps.understand || event.event_name !== 'user_send_text') return {};
  const text = nfc(String((event.message as { text?: unknown } | undefined)?.text ?? '')).trim();
  const userId = citizenIdOf(event);
  if (!text || !userId) return {};
  const [conversation] = await deps.db
    .select({ stateData: conversations.stateData })
    .from(conversations)
    .where(eq(conversations.zaloUserId, userId));
  return { understanding: await deps.understand(text, pinOf(conversation?.stateData)) };
}

/** Stores the event once (unique dedupe key, unique msg_id); returns its row whatever delivery this is. */
async function storeOnce(db: Db, job: InboundJob, event: Record<string, unknown>) {
  const values = {
    dedupeKey: job.dedupeKey,
    zaloMsgId: msgIdOf(event) ?? null,
    eventName: job.eventName,
    zaloUserId: citizenIdOf(event) ?? null,
    raw: job.raw,
    payload: event,
    eventTimestamp: typeof event.timestamp === 'string' ? event.timestamp : null,
    receivedAt: new Date(job.receivedAt),
    status: job.problem ? 'invalid' : 'received',
    problem: job.problem ?? null,
  };
  const [inserted] = await db.insert(inboundEvents).values(values).onConflictDoNothing().returning();
  if (inserted) return inserted;
  const [existing] = await db.select().from(inboundEvents).where(eq(inboundEvents.dedupeKey, job.dedupeKey));
  if (existing) return existing;
  // The msg_id matched another dedupe key: same message, so treat as the stored one.
  const [byMsg] = await db.select().from(inboundEvents).where(eq(inboundEvents.zaloMsgId, values.zaloMsgId!));
  return byMsg!;
}

/**
 * Inbound job: event → stored row → (one transaction) conversation, ticket, outbox rows and the
 * "processed" mark → outbound jobs. Safe to run any number of times for the same event.
 */
export function createInboundProcessor(deps: InboundDeps) {
  return async (job: Job<InboundJob>): Promise<{ status: string; ticketId?: number }> => {
    const data = parseJob(inboundJobSchema, job.data);
    let event: Record<string, unknown> & { event_name: string; timestamp: string };
    try {
      event = JSON.parse(data.raw);
    } catch {
      throw permanent('JOB_PAYLOAD_INVALID', 'raw body is not JSON');
    }
    const stored = await storeOnce(deps.db, data, event);
    if (stored.status !== 'received') return { status: stored.status };
    const settings = deps.dialogue ?? DEFAULT_DIALOGUE;
    const ctx = { ...(await understandText(deps, event)), settings, names: deps.names?.() ?? NO_NAMES };
    const outcome = await deps.db.transaction(async (tx) => {
      // Claimed as processed up front: the row lock makes a concurrent second run wait, then find no
      // "received" row and stop; a rollback (crash, error) leaves it "received" for the retry.
      const [claimed] = await tx
        .update(inboundEvents)
        .set({ status: 'processed', processedAt: new Date() })
        .where(and(eq(inboundEvents.id, stored.id), eq(inboundEvents.status, 'received')))
        .returning({ id: inboundEvents.id });
      if (!claimed) return null;
      const o = await handleEvent(tx, stored, event, ctx);
      if (o.status !== 'processed')
        await tx.update(inboundEvents).set({ status: o.status }).where(eq(inboundEvents.id, stored.id));
      return o;
    });
    if (!outcome) return { status: 'already-processed' };
    await enqueueOutbound(deps.queues.outbound, outcome.outboxIds);
    await scheduleBursts(deps.queues.dialogue, outcome.bursts, settings);
    if (deps.queues.attachments && outcome.downloads?.length)
      await enqueueAttachmentDownloads(deps.queues.attachments, outcome.downloads);
    if (deps.queues.sla && outcome.clockIds?.length)
      await syncReminders(deps.db, deps.queues.sla, { clockIds: outcome.clockIds });
    return { status: outcome.status, ticketId: outcome.ticketId };
  };
}
