import { and, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { conversations, outboundMessages, ticketEvents, tickets } from '../db/schema';
import { putInOutbox, type OutboxItem } from '../outbound/outbox';
import { createTicket } from '../tickets/create-ticket';
import { nfc } from '../text/fold';
import { buttonsMessage, textMessage } from '../zalo/messages';
import { citizenIdOf, isOaEcho } from '../../webhooks/zalo-events';
import { MENU, vi } from './catalogue';
import { firstIntent } from './first-intent';
import type { Understanding } from '../understand/understand';

/** What handling one stored event decided; the caller enqueues the outbox ids after commit. */
export interface Outcome {
  status: 'processed' | 'ignored';
  outboxIds: number[];
  ticketId?: number;
}

export interface StoredEvent {
  id: number;
  eventName: string;
  receivedAt: Date;
}

type Event = Record<string, unknown> & { event_name: string; timestamp: string };

const menuMessage = (text: string) =>
  buttonsMessage(
    text,
    MENU.map((m) => ({ type: 'oa.query.show' as const, title: m.title, payload: m.payload })),
  );

/** Statuses in which a ticket still accepts additions from the citizen. */
const CLOSED = ['khong_du_dieu_kien', 'da_cong_khai', 'dong', 'da_huy'];

async function upsertConversation(tx: Db, zaloUserId: string, patch: Partial<typeof conversations.$inferInsert>) {
  const [row] = await tx
    .insert(conversations)
    .values({ zaloUserId, ...patch })
    .onConflictDoUpdate({ target: conversations.zaloUserId, set: { ...patch, updatedAt: sql`now()` } })
    .returning();
  return row!;
}

async function mergeStateData(tx: Db, zaloUserId: string, data: Record<string, unknown>) {
  await tx
    .update(conversations)
    .set({ stateData: sql`${conversations.stateData} || ${JSON.stringify(data)}::jsonb`, updatedAt: new Date() })
    .where(eq(conversations.zaloUserId, zaloUserId));
}

async function latestOpenTicket(tx: Db, zaloUserId: string) {
  const [t] = await tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.zaloUserId, zaloUserId), notInArray(tickets.status, CLOSED)))
    .orderBy(desc(tickets.receivedAt))
    .limit(1);
  return t;
}

/**
 * Turns one stored webhook event into conversation state, tickets and outbox rows. Runs inside a
 * transaction with the event's "processed" mark, so a re-run after a crash either sees all of it or
 * none; outbox keys derive from the event id, so nothing is sent twice.
 */
export interface EventContext {
  /** For a citizen's text: what the classifier and the routing rules made of it (computed before the transaction). */
  understanding?: Understanding;
}

/** Chit-chat the model is sure of gets the menu, not a ticket; anything less sure becomes a ticket. */
const SURE_OUT_OF_SCOPE = 0.85;

export async function handleEvent(tx: Db, stored: StoredEvent, event: Event, ctx: EventContext = {}): Promise<Outcome> {
  const name = event.event_name;
  const userId = citizenIdOf(event);
  const eventTime = new Date(Number(event.timestamp));
  const out: OutboxItem[] = [];
  const reply = (suffix: string, message: OutboxItem['message'], ticketId?: number) =>
    out.push({ dedupeKey: `ev${stored.id}:${suffix}`, zaloUserId: userId!, ticketId, message });
  let ticketId: number | undefined;

  if (isOaEcho(name) || !userId) return { status: 'ignored', outboxIds: [] };

  switch (name) {
    case 'follow':
      await upsertConversation(tx, userId, { following: true, lastUserMessageAt: eventTime });
      reply('welcome', menuMessage(vi.welcome));
      break;
    case 'unfollow':
      await upsertConversation(tx, userId, { following: false });
      break;
    case 'user_send_text': {
      const conversation = await upsertConversation(tx, userId, { lastUserMessageAt: eventTime, following: true });
      const text = nfc(String((event.message as { text?: unknown }).text ?? '')).trim();
      const intent = firstIntent(text);
      const c = ctx.understanding?.classification;
      const chitChat =
        c &&
        !c.emergency &&
        c.category === 'khac' &&
        c.kind === 'ngoai_pham_vi' &&
        c.confidence.kind >= SURE_OUT_OF_SCOPE;
      if (!c?.emergency && (intent === 'greeting' || intent === 'menu' || chitChat))
        reply('menu', menuMessage(vi.greeting));
      else if (!c?.emergency && intent === 'thanks') reply('thanks', textMessage(vi.thanks));
      else {
        const ticket = await createTicket(tx, {
          conversationId: conversation.id,
          zaloUserId: userId,
          sourceEventId: stored.id,
          content: text,
          receivedAt: stored.receivedAt,
          understanding: ctx.understanding,
        });
        ticketId = ticket.id;
        // The emergency numbers go first: nothing may stand between the citizen and 114/113/115.
        if (ticket.emergency) reply('emergency', textMessage(vi.emergency), ticket.id);
        reply('ack', textMessage(vi.acknowledged(ticket.trackingCode)), ticket.id);
      }
      break;
    }
    case 'user_send_image':
    case 'user_send_gif':
    case 'user_send_file':
    case 'user_send_audio':
    case 'user_send_video':
    case 'user_send_link': {
      await upsertConversation(tx, userId, { lastUserMessageAt: eventTime, following: true });
      const open = await latestOpenTicket(tx, userId);
      const attachments = (event.message as { attachments?: unknown[] }).attachments ?? [];
      if (open) {
        ticketId = open.id;
        await tx.insert(ticketEvents).values({
          ticketId: open.id,
          type: 'attachment_received',
          actor: 'citizen',
          data: { eventId: stored.id, attachments },
        });
        reply('attachment', textMessage(vi.attachmentAdded(open.trackingCode)), open.id);
      } else reply('attachment', textMessage(vi.attachmentNeedsText));
      break;
    }
    case 'user_send_location': {
      const location = (event.message as { attachments?: Array<{ payload?: unknown }> }).attachments?.[0]?.payload;
      await upsertConversation(tx, userId, { lastUserMessageAt: eventTime });
      await mergeStateData(tx, userId, { lastLocation: location, lastLocationAt: eventTime });
      reply('location', textMessage(vi.locationNoted));
      break;
    }
    case 'user_submit_info':
      await upsertConversation(tx, userId, { lastUserMessageAt: eventTime });
      reply('info', textMessage(vi.infoReceived));
      break;
    case 'user_received_message':
    case 'user_seen_message': {
      const m = event.message as { msg_id?: string; msg_ids?: string[] };
      const ids = [...(m.msg_ids ?? []), ...(m.msg_id ? [m.msg_id] : [])];
      if (ids.length) {
        const status = name === 'user_seen_message' ? 'seen' : 'delivered';
        const from = status === 'seen' ? ['sent', 'delivered'] : ['sent'];
        await tx
          .update(outboundMessages)
          .set({ status, updatedAt: new Date() })
          .where(and(inArray(outboundMessages.zaloMessageId, ids), inArray(outboundMessages.status, from)));
      }
      break;
    }
    case 'user_withdraw':
      // A data-deletion request (Law 91/2025): recorded now; the deletion flow acts on the mark.
      await upsertConversation(tx, userId, {});
      await mergeStateData(tx, userId, { deletionRequestedAt: eventTime });
      break;
    default:
      return { status: 'ignored', outboxIds: [] };
  }

  const outboxIds: number[] = [];
  for (const item of out) outboxIds.push(await putInOutbox(tx, item));
  return { status: 'processed', outboxIds, ticketId };
}
