import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { conversations, ticketEvents, tickets } from '../db/schema';
import { putInOutbox } from '../outbound/outbox';
import { buttonsMessage, textMessage, type CsMessage } from '../zalo/messages';
import { ratingButtons, vi } from './catalogue';
import type { Conversation } from './apply-effects';
import { lockConversation } from './handle-event';

/**
 * What the console calls to reach a citizen: status changes, answers, progress updates, requests for
 * information, operator replies, handoff and hand-back. Each writes to the outbox inside the caller's
 * transaction (enqueue the returned ids after commit with enqueueOutbound) and moves the conversation
 * so that the citizen's next message is read the right way. Outside Zalo's 7-day window nothing is
 * sent: the ticket records that another channel is needed (the outbound worker does the same on
 * Zalo's −230/−232).
 */
export const WINDOW_MS = 7 * 24 * 3600 * 1000;

export type NotifyKind = 'status_changed' | 'progress' | 'answered' | 'ask_info' | 'operator_reply';
export interface NotifyData {
  /** Deterministic per cause (e.g. the ticket_events id), so a retried call never sends twice. */
  key: string;
  status?: string;
  note?: string;
  answer?: string;
  /** ask_info: what the unit needs; operator_reply: what the operator wrote. */
  text?: string;
}

export interface Notified {
  outboxIds: number[];
  channel: 'zalo' | 'other_channel_needed';
}

const held = (c: Conversation) => c.state === 'handoff';
/**
 * A report being written (or parked behind another question): it waits while the citizen answers,
 * then resumes (machine/intake.ts resumeDraft). In idle a draft is a leftover, never resumed.
 */
const writing = (c: Conversation) => c.state !== 'idle' && !held(c) && !!c.stateData.draft;

/** The conversation waits for something about this ticket (an operator-held one stays held). */
async function awaitReply(tx: Db, c: Conversation, state: string, ticket: { id: number; code: string }) {
  if (held(c)) return;
  const { draft, ...rest } = c.stateData;
  const kept = writing(c) ? { draft } : {};
  await tx
    .update(conversations)
    .set({ state, stateData: { ...rest, ...kept, ticket, unrecognised: 0 }, updatedAt: new Date() })
    .where(eq(conversations.id, c.id));
}

export async function notifyCitizen(
  tx: Db,
  ticketId: number,
  kind: NotifyKind,
  data: NotifyData,
  now = new Date(),
): Promise<Notified> {
  const [t] = await tx.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!t) throw new Error(`ticket ${ticketId} does not exist`);
  const conversation = await lockConversation(tx, t.zaloUserId);
  const last = conversation.lastUserMessageAt?.getTime() ?? 0;
  if (kind === 'answered')
    await tx
      .update(tickets)
      .set({ answeredAt: now, status: 'da_co_ket_qua', updatedAt: now })
      .where(eq(tickets.id, t.id));
  if (now.getTime() - last > WINDOW_MS) {
    await tx.update(tickets).set({ needsOtherChannelAt: now, updatedAt: now }).where(eq(tickets.id, t.id));
    await tx
      .insert(ticketEvents)
      .values({ ticketId: t.id, type: 'channel_needed', actor: 'system', data: { reason: 'outside_window', kind } });
    return { outboxIds: [], channel: 'other_channel_needed' };
  }
  const ref = { id: t.id, code: t.trackingCode };
  const messages: CsMessage[] = [];
  if (kind === 'status_changed') messages.push(textMessage(vi.statusChanged(t.trackingCode, data.status ?? t.status)));
  else if (kind === 'progress') messages.push(textMessage(vi.progress(t.trackingCode, data.note ?? '')));
  else if (kind === 'operator_reply')
    messages.push(textMessage(vi.operatorReply(t.trackingCode, data.text ?? '').slice(0, 2000)));
  else if (kind === 'ask_info') {
    // The citizen's next message (text or file) is added to this ticket. A report being written
    // waits in the conversation and resumes once they have answered (machine/intake.ts resumeDraft).
    const ask = vi.askInfo(t.trackingCode, data.text ?? '').slice(0, 2000 - vi.draftKept.length - 1);
    messages.push(textMessage(writing(conversation) ? `${ask}\n${vi.draftKept}` : ask));
    await awaitReply(tx, conversation, 'adding_info', ref);
  } else {
    messages.push(textMessage(vi.answered(t.trackingCode, data.answer ?? '').slice(0, 2000)));
    messages.push(ratingRequest(t.trackingCode));
    await awaitRating(tx, conversation, t);
  }
  const outboxIds: number[] = [];
  for (const [i, message] of messages.entries())
    outboxIds.push(
      await putInOutbox(tx, {
        dedupeKey: `notify:${t.id}:${kind}:${data.key}:${i}`,
        zaloUserId: t.zaloUserId,
        ticketId: t.id,
        message,
      }),
    );
  return { outboxIds, channel: 'zalo' };
}

/** The 1–5 rating buttons that follow an answer. */
export function ratingRequest(trackingCode: string): CsMessage {
  return buttonsMessage(
    vi.askRating,
    ratingButtons(trackingCode).map((b) => ({ type: 'oa.query.hide' as const, ...b })),
  );
}

/** The next thing the citizen types is read as the rating (an operator-held conversation stays held). */
export async function awaitRating(
  tx: Db,
  conversation: Conversation,
  t: { id: number; trackingCode: string },
): Promise<void> {
  await awaitReply(tx, conversation, 'rating_pending', { id: t.id, code: t.trackingCode });
}

/** An operator takes the conversation: the bot goes silent (emergencies excepted) until handBack. */
export async function handOffToOperator(tx: Db, zaloUserId: string, reason: string, now = new Date()): Promise<void> {
  const c = await lockConversation(tx, zaloUserId);
  await tx
    .update(conversations)
    .set({ state: 'handoff', handoffAt: c.handoffAt ?? now, handoffReason: reason, updatedAt: now })
    .where(eq(conversations.id, c.id));
}

/** An operator writes to a citizen who has no ticket (a "gặp tổng đài viên" request), inside the window. */
export async function operatorSays(tx: Db, zaloUserId: string, text: string, key: string, now = new Date()) {
  const c = await lockConversation(tx, zaloUserId);
  if (now.getTime() - (c.lastUserMessageAt?.getTime() ?? 0) > WINDOW_MS)
    return { outboxIds: [], channel: 'other_channel_needed' as const };
  const message = textMessage(vi.operatorReply(undefined, text).slice(0, 2000));
  return {
    outboxIds: [await putInOutbox(tx, { dedupeKey: `operator:${c.id}:${key}`, zaloUserId, message })],
    channel: 'zalo' as const,
  };
}

/** The operator is done: the bot answers again, starting from idle; the citizen is told. */
export async function handBack(tx: Db, zaloUserId: string, key: string, now = new Date()): Promise<number[]> {
  const c = await lockConversation(tx, zaloUserId);
  const {
    draft: _draft,
    ticket: _ticket,
    unrecognised: _u,
    heldFilesAckAt: _a,
    ...rest
  } = c.stateData as Record<string, unknown>;
  await tx
    .update(conversations)
    .set({ state: 'idle', stateData: rest, handoffAt: null, handoffReason: null, updatedAt: now })
    .where(eq(conversations.id, c.id));
  return [
    await putInOutbox(tx, { dedupeKey: `handback:${c.id}:${key}`, zaloUserId, message: textMessage(vi.handBack) }),
  ];
}
