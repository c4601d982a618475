import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { conversations, ticketEvents, tickets } from '../db/schema';
import { putInOutbox } from '../outbound/outbox';
import { buttonsMessage, textMessage, type CsMessage } from '../zalo/messages';
import { ratingButtons, vi } from './catalogue';
import type { Conversation } from './apply-effects';
import { lockConversation } from './handle-event';

/**
 * What the console calls to reach a citizen: status changes, answers, progress updates, handoff and
 * hand-back. Each writes to the outbox inside the caller's transaction (enqueue the returned ids
 * after commit with enqueueOutbound). Outside Zalo's 7-day window nothing is sent: the ticket records
 * that another channel is needed (the outbound worker does the same on Zalo's −230/−232).
 */
export const WINDOW_MS = 7 * 24 * 3600 * 1000;

export type NotifyKind = 'status_changed' | 'progress' | 'answered';
export interface NotifyData {
  /** Deterministic per cause (e.g. the ticket_events id), so a retried call never sends twice. */
  key: string;
  status?: string;
  note?: string;
  answer?: string;
}

export interface Notified {
  outboxIds: number[];
  channel: 'zalo' | 'other_channel_needed';
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
  if (now.getTime() - last > WINDOW_MS) {
    await tx.update(tickets).set({ needsOtherChannelAt: now, updatedAt: now }).where(eq(tickets.id, t.id));
    await tx
      .insert(ticketEvents)
      .values({ ticketId: t.id, type: 'channel_needed', actor: 'system', data: { reason: 'outside_window', kind } });
    return { outboxIds: [], channel: 'other_channel_needed' };
  }
  const messages: CsMessage[] = [];
  if (kind === 'status_changed') messages.push(textMessage(vi.statusChanged(t.trackingCode, data.status ?? t.status)));
  else if (kind === 'progress') messages.push(textMessage(vi.progress(t.trackingCode, data.note ?? '')));
  else {
    await tx
      .update(tickets)
      .set({ answeredAt: now, status: 'da_co_ket_qua', updatedAt: now })
      .where(eq(tickets.id, t.id));
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
    ratingButtons(trackingCode).map((b) => ({ type: 'oa.query.show' as const, ...b })),
  );
}

/** The next thing the citizen types is read as the rating (an operator-held conversation stays held). */
export async function awaitRating(
  tx: Db,
  conversation: Conversation,
  t: { id: number; trackingCode: string },
): Promise<void> {
  if (conversation.state === 'handoff') return;
  await tx
    .update(conversations)
    .set({
      state: 'rating_pending',
      stateData: { ...conversation.stateData, ticket: { id: t.id, code: t.trackingCode }, unrecognised: 0 },
    })
    .where(eq(conversations.id, conversation.id));
}

/** An operator takes the conversation: the bot goes silent (emergencies excepted) until handBack. */
export async function handOffToOperator(tx: Db, zaloUserId: string, reason: string, now = new Date()): Promise<void> {
  const c = await lockConversation(tx, zaloUserId);
  await tx
    .update(conversations)
    .set({ state: 'handoff', handoffAt: c.handoffAt ?? now, handoffReason: reason, updatedAt: now })
    .where(eq(conversations.id, c.id));
}

/** The operator is done: the bot answers again, starting from idle; the citizen is told. */
export async function handBack(tx: Db, zaloUserId: string, key: string, now = new Date()): Promise<number[]> {
  const c = await lockConversation(tx, zaloUserId);
  const { draft: _draft, ticket: _ticket, unrecognised: _u, ...rest } = c.stateData as Record<string, unknown>;
  await tx
    .update(conversations)
    .set({ state: 'idle', stateData: rest, handoffAt: null, handoffReason: null, updatedAt: now })
    .where(eq(conversations.id, c.id));
  return [
    await putInOutbox(tx, { dedupeKey: `handback:${c.id}:${key}`, zaloUserId, message: textMessage(vi.handBack) }),
  ];
}
