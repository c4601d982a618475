import { and, eq, inArray, sql } from 'drizzle-orm';
import { DEFAULT_DIALOGUE, type DialogueSettings } from '../config/env';
import type { Db } from '../db/client';
import { conversations, outboundMessages } from '../db/schema';
import type { BurstTimer } from '../queues/queues';
import { NO_NAMES, type Names } from '../routing/names';
import type { Understanding } from '../understand/understand';
import { citizenIdOf, isOaEcho } from '../../webhooks/zalo-events';
import { attachmentsOf, recordAttachments, type AttachmentJobSpec } from '../attachments/record';
import { applyStep, type Conversation } from './apply-effects';
import { loadFacts } from './facts';
import { transition, type Input, type State, type StateData } from './machine';
import { toInput } from './to-input';

/** What handling one stored event decided; the caller enqueues the outbox ids and timers after commit. */
export interface Outcome {
  status: 'processed' | 'ignored';
  outboxIds: number[];
  ticketId?: number;
  /** Burst timers to (re)schedule: the dialogue answers once the citizen pauses. */
  bursts: BurstTimer[];
  /** Clocks the step moved: the caller syncs their reminders after commit (the sla sweep is the backstop). */
  clockIds?: number[];
  /** Downloads of the event's images and files, to add once the transaction committed. */
  downloads?: AttachmentJobSpec[];
}

export interface StoredEvent {
  id: number;
  eventName: string;
  receivedAt: Date;
}

type Event = Record<string, unknown> & { event_name: string; timestamp: string };

export interface EventContext {
  /** For a citizen's text: what the classifier and the routing rules made of it (computed before the transaction). */
  understanding?: Understanding;
  settings?: DialogueSettings;
  names?: Names;
}

const IGNORED: Outcome = { status: 'ignored', outboxIds: [], bursts: [] };

/**
 * Creates the row if needed and locks it: every step of one citizen's dialogue runs one at a time.
 * `exists` (a timer step for a conversation that has a draft) tries the lock first; otherwise the insert
 * comes first, which returns a new citizen's row already locked, in one statement.
 */
export async function lockConversation(
  tx: Db,
  zaloUserId: string,
  exists = false,
  initial: Partial<typeof conversations.$inferInsert> = {},
): Promise<Conversation> {
  const lock = async () =>
    (await tx.select().from(conversations).where(eq(conversations.zaloUserId, zaloUserId)).for('update'))[0];
  if (exists) {
    const row = await lock();
    if (row) return row;
  }
  const [created] = await tx
    .insert(conversations)
    .values({ ...initial, zaloUserId })
    .onConflictDoNothing({ target: conversations.zaloUserId })
    .returning();
  return created ?? (await lock())!;
}

/** Runs one input through the machine and applies the step (shared by events and burst timers). */
export async function runStep(
  tx: Db,
  conversation: Conversation,
  input: Input,
  opts: { eventId?: number; keyPrefix: string; at: Date; eventAt?: Date; ctx: EventContext },
) {
  const facts = await loadFacts(tx, conversation);
  const settings = opts.ctx.settings ?? DEFAULT_DIALOGUE;
  const step = transition(conversation.state as State, conversation.stateData as StateData, input, {
    now: opts.at.getTime(),
    facts,
    settings,
  });
  const applied = await applyStep(tx, step, {
    conversation,
    eventId: opts.eventId,
    keyPrefix: opts.keyPrefix,
    at: opts.at,
    eventAt: opts.eventAt,
    names: opts.ctx.names ?? NO_NAMES,
  });
  return { step, applied };
}

async function markReceipts(tx: Db, event: Event): Promise<void> {
  const m = event.message as { msg_id?: string; msg_ids?: string[] };
  const ids = [...(m.msg_ids ?? []), ...(m.msg_id ? [m.msg_id] : [])];
  if (!ids.length) return;
  const status = event.event_name === 'user_seen_message' ? 'seen' : 'delivered';
  const from = status === 'seen' ? ['sent', 'delivered'] : ['sent'];
  await tx
    .update(outboundMessages)
    .set({ status, updatedAt: new Date() })
    .where(and(inArray(outboundMessages.zaloMessageId, ids), inArray(outboundMessages.status, from)));
}

/**
 * Turns one stored webhook event into a dialogue step: conversation state, tickets and outbox rows.
 * Runs inside the transaction with the event's "processed" mark, so a re-run after a crash either
 * sees all of it or none; outbox keys derive from the event id, so nothing is sent twice.
 */
export async function handleEvent(tx: Db, stored: StoredEvent, event: Event, ctx: EventContext = {}): Promise<Outcome> {
  const name = event.event_name;
  const userId = citizenIdOf(event);
  if (isOaEcho(name) || !userId) return IGNORED;
  if (name === 'user_received_message' || name === 'user_seen_message') {
    await markReceipts(tx, event);
    return { ...IGNORED, status: 'processed' };
  }
  const eventAt = new Date(Number(event.timestamp));
  if (name === 'unfollow') {
    await lockConversation(tx, userId);
    await tx
      .update(conversations)
      .set({ following: false, updatedAt: sql`now()` })
      .where(eq(conversations.zaloUserId, userId));
    return { ...IGNORED, status: 'processed' };
  }
  // Any user action opens Zalo's 7-day window, whatever the dialogue makes of it.
  const opensWindow = name.startsWith('user_') || name === 'follow';
  const conversation = await lockConversation(
    tx,
    userId,
    false,
    opensWindow ? { following: true, lastUserMessageAt: eventAt } : {},
  );
  const stale = !!conversation.lastEventAt && eventAt.getTime() < conversation.lastEventAt.getTime();
  const input = toInput(event, stored.id, eventAt.getTime(), stale, ctx.understanding);
  const last = conversation.lastUserMessageAt;
  if (opensWindow && (!conversation.following || !last || last < eventAt)) {
    const window = { following: true, lastUserMessageAt: last && last > eventAt ? last : eventAt };
    await tx.update(conversations).set(window).where(eq(conversations.id, conversation.id));
    Object.assign(conversation, window);
  }
  if (!input) return IGNORED;
  // Zalo's URLs expire: every file is recorded now and downloaded at once; the step links it to a ticket.
  const { jobs: downloads } = name.startsWith('user_send_')
    ? await recordAttachments(tx, {
        conversationId: conversation.id,
        inboundEventId: stored.id,
        ticketId: null,
        attachments: attachmentsOf(event),
      })
    : { jobs: [] };
  const { step, applied } = await runStep(tx, conversation, input, {
    eventId: stored.id,
    keyPrefix: `ev${stored.id}`,
    at: stored.receivedAt,
    eventAt,
    ctx,
  });
  return {
    status: step.handled ? 'processed' : 'ignored',
    outboxIds: applied.outboxIds,
    ticketId: applied.ticketId,
    bursts: applied.bursts,
    clockIds: applied.clockIds,
    downloads,
  };
}
