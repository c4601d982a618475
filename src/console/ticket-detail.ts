import { and, asc, desc, eq, gte, lte } from 'drizzle-orm';
import type { Db } from '../db/client';
import { conversations, inboundEvents, outboundMessages, ticketEvents } from '../db/schema';
import { seesPersonalData, type Actor } from '../auth/roles';
import { maskPhonesIn } from '../privacy/mask';
import { audit } from './audit';
import { windowState } from './cs-window';
import { ticketInScope } from './scope';
import { clocksOf, headlineClock } from './clock-view';
import { ticketFiles } from './ticket-files';
import { ticketSummary } from './ticket-list';

/** How much of the conversation around a ticket the transcript shows. */
const BEFORE_MS = 24 * 3600 * 1000;
const AFTER_MS = 60 * 24 * 3600 * 1000;
const TRANSCRIPT_MAX = 200;

interface EventMessage {
  text?: string;
  attachments?: Array<{ type?: string; payload?: Record<string, unknown> }>;
}

/**
 * One ticket with its transcript (what the citizen sent around it and what we sent), attachments and
 * audit trail. Looking at it is itself recorded, since it shows personal data.
 */
export async function ticketDetail(db: Db, actor: Actor, code: string, now = new Date()) {
  const t = await ticketInScope(db, actor, code);
  const plain = seesPersonalData(actor);
  const mask = (s: string | null | undefined) => (s == null ? s : plain ? s : maskPhonesIn(s));
  const from = new Date(t.receivedAt.getTime() - BEFORE_MS);
  const to = new Date(t.receivedAt.getTime() + AFTER_MS);
  const [conv] = await db.select().from(conversations).where(eq(conversations.id, t.conversationId));
  const inbound = await db
    .select()
    .from(inboundEvents)
    .where(
      and(
        eq(inboundEvents.zaloUserId, t.zaloUserId),
        gte(inboundEvents.receivedAt, from),
        lte(inboundEvents.receivedAt, to),
      ),
    )
    .orderBy(asc(inboundEvents.receivedAt), asc(inboundEvents.id))
    .limit(TRANSCRIPT_MAX);
  const outbound = await db
    .select()
    .from(outboundMessages)
    .where(
      and(
        eq(outboundMessages.zaloUserId, t.zaloUserId),
        gte(outboundMessages.createdAt, from),
        lte(outboundMessages.createdAt, to),
      ),
    )
    .orderBy(asc(outboundMessages.createdAt), asc(outboundMessages.id))
    .limit(TRANSCRIPT_MAX);
  const transcript = [
    ...inbound.map((e) => {
      const m = ((e.payload as { message?: EventMessage } | null)?.message ?? {}) as EventMessage;
      return {
        direction: 'in' as const,
        at: e.receivedAt,
        event: e.eventName,
        text: mask(m.text ?? null),
        attachments: (m.attachments ?? []).length,
        opensThisTicket: e.id === t.sourceEventId,
      };
    }),
    ...outbound.map((o) => ({
      direction: 'out' as const,
      at: o.createdAt,
      event: 'oa_send',
      text: mask(((o.message as { text?: string }).text ?? null) as string | null),
      status: o.status,
      forThisTicket: o.ticketId === t.id,
    })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const events = await db
    .select()
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, t.id))
    .orderBy(desc(ticketEvents.id))
    .limit(500);
  const clocks = (await clocksOf(db, [t.id], now)).get(t.id) ?? [];
  const files = await ticketFiles(db, t.id, t.trackingCode, plain);
  await audit(db, actor, t.id, 'viewed', { personalData: plain });
  return {
    ticket: {
      ...ticketSummary(t, now),
      content: mask(t.content),
      zaloUserId: plain ? t.zaloUserId : null,
      routing: t.routing,
      mergedIntoId: t.mergedIntoId,
      publicAnswer: t.publicAnswer,
      externalPaknCode: t.externalPaknCode,
      needsOtherChannelAt: t.needsOtherChannelAt,
      needsOperatorAt: t.needsOperatorAt,
      deadline: headlineClock(clocks),
    },
    clocks,
    conversation: conv
      ? { id: conv.id, state: conv.state, following: conv.following, handoffReason: conv.handoffReason }
      : null,
    window: windowState(conv?.lastUserMessageAt ?? null, now),
    transcript,
    attachments: files,
    events: events.map((e) => ({ type: e.type, actor: e.actor, at: e.createdAt, data: e.data })),
  };
}
