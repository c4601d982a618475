import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { attachments, consents, conversations, ticketEvents, tickets } from '../db/schema';
import { putInOutbox } from '../outbound/outbox';
import type { BurstTimer } from '../queues/queues';
import { erasePersonalData } from '../privacy/erase';
import type { Names } from '../routing/names';
import { createTicket, type Ticket } from '../tickets/create-ticket';
import { CONTACT_NOTICE } from './catalogue';
import { cancelClocks, resumeClocks } from '../sla/ticket-clocks';
import { OPEN } from '../tickets/statuses';
import type { Effect, Reply, Step } from './machine/types';
import { renderStatus, renderSummary, toMessages, type Rendered } from './render';

/**
 * The thin adapter: applies one step's effects inside the transaction that holds the conversation
 * row, writes the replies to the outbox and the next state to the row. Returns what to do after
 * commit (outbox ids to enqueue, burst timers to schedule).
 */
export type Conversation = typeof conversations.$inferSelect;

export interface ApplyContext {
  conversation: Conversation;
  /** The inbound event behind the step, when there is one (a timer step has none). */
  eventId?: number;
  /** Prefix of the outbox dedupe keys: deterministic per cause, so a re-run never sends twice. */
  keyPrefix: string;
  at: Date;
  eventAt?: Date;
  names: Names;
}

export interface Applied {
  outboxIds: number[];
  bursts: BurstTimer[];
  ticketId?: number;
  /** Clocks this step moved (resumed, cancelled): their reminders are synced after commit. */
  clockIds: number[];
}

const event = (ticketId: number, type: string, actor: string, data: Record<string, unknown> = {}) => ({
  ticketId,
  type,
  actor,
  data,
});

export async function applyStep(tx: Db, step: Step, c: ApplyContext): Promise<Applied> {
  const conv = c.conversation;
  const userId = conv.zaloUserId;
  const replies: Reply[] = [];
  const bursts: Applied['bursts'] = [];
  let created: Ticket | undefined;
  const idOf = (ticketId: number) => (ticketId === 0 ? created!.id : ticketId);
  // Ticket updates are scoped to the citizen's own tickets, whatever id the step names.
  const own = (ticketId: number) => and(eq(tickets.id, idOf(ticketId)), eq(tickets.zaloUserId, userId));
  let touched: number | undefined;
  const clockIds: number[] = [];

  for (const e of step.effects as Effect[]) {
    switch (e.type) {
      case 'reply':
        replies.push(e.reply);
        break;
      case 'schedule_burst':
        if (c.eventId !== undefined)
          bursts.push({ zaloUserId: userId, rev: e.rev, eventId: c.eventId, complete: e.complete });
        break;
      case 'create_ticket': {
        created = await createTicket(tx, {
          conversationId: conv.id,
          zaloUserId: userId,
          sourceEventId: c.eventId!,
          content: e.text,
          receivedAt: c.at,
          understanding: e.understanding,
        });
        touched = created.id;
        const extra = (e.attachments ?? []).map((a) => event(created!.id, 'attachment_received', 'citizen', a));
        if (e.understanding?.classification.kind === 'khieu_nai_to_cao')
          extra.push(
            event(created.id, 'legal_channel_explained', 'system', { laws: ['khieu_nai_2011', 'to_cao_2018'] }),
          );
        if (extra.length) await tx.insert(ticketEvents).values(extra);
        await linkFiles(
          tx,
          created.id,
          (e.attachments ?? []).map((a) => a.eventId),
        );
        if (e.reason === 'emergency')
          await tx.update(tickets).set({ needsOperatorAt: c.at }).where(eq(tickets.id, created.id));
        break;
      }
      case 'add_to_ticket': {
        touched = idOf(e.ticketId);
        // The information a unit asked for has come: the ticket goes back to work and its clocks run again.
        const [resumed] = await tx
          .update(tickets)
          .set({ status: 'dang_xu_ly', updatedAt: c.at })
          .where(and(own(touched), eq(tickets.status, 'cho_bo_sung')))
          .returning({ id: tickets.id });
        if (resumed) clockIds.push(...(await resumeClocks(tx, { ticketId: resumed.id, at: c.at, actor: 'citizen' })));
        if (e.attachments) await linkFiles(tx, touched, [e.eventId]);
        await tx
          .insert(ticketEvents)
          .values(
            e.attachments
              ? event(touched, 'attachment_received', 'citizen', { eventId: e.eventId, attachments: e.attachments })
              : event(touched, 'info_added', 'citizen', { eventId: e.eventId }),
          );
        break;
      }
      case 'record_consent':
        await tx.insert(consents).values({
          zaloUserId: userId,
          purpose: CONTACT_NOTICE.purpose,
          noticeVersion: CONTACT_NOTICE.version,
          answer: e.answer,
          sourceEventId: c.eventId ?? null,
          answeredAt: c.at,
        });
        break;
      case 'save_contact': {
        const patch: Partial<Conversation> = {};
        if (e.phone) patch.contactPhone = e.phone;
        if (e.name) patch.contactName = e.name.normalize('NFC').slice(0, 200);
        if (Object.keys(patch).length) Object.assign(conv, patch);
        if (e.phone && e.ticketId !== undefined) {
          const [t] = await tx.update(tickets).set({ callbackRequested: true }).where(own(e.ticketId)).returning();
          if (t) await tx.insert(ticketEvents).values(event(t.id, 'contact_added', 'citizen', { callback: true }));
        }
        break;
      }
      case 'withdraw_ticket': {
        const [t] = await tx
          .update(tickets)
          .set({ status: 'da_huy', updatedAt: c.at })
          .where(and(own(e.ticketId), inArray(tickets.status, [...OPEN])))
          .returning();
        if (t) {
          await tx.insert(ticketEvents).values(event(t.id, 'withdrawn', 'citizen', { eventId: c.eventId }));
          clockIds.push(...(await cancelClocks(tx, [t.id], c.at)));
        }
        touched = t?.id;
        break;
      }
      case 'reopen_ticket': {
        const [t] = await tx
          .update(tickets)
          .set({ status: 'dang_xu_ly', updatedAt: c.at })
          .where(own(e.ticketId))
          .returning();
        if (t) await tx.insert(ticketEvents).values(event(t.id, 'reopened', 'citizen', { eventId: c.eventId }));
        touched = t?.id;
        break;
      }
      case 'rate': {
        const [t] = await tx
          .update(tickets)
          .set({ rating: e.rating, ratedAt: c.at })
          .where(own(e.ticketId))
          .returning();
        if (t) await tx.insert(ticketEvents).values(event(t.id, 'rated', 'citizen', { rating: e.rating }));
        touched = t?.id;
        break;
      }
      case 'rate_comment': {
        const comment = e.text.normalize('NFC').slice(0, 2000);
        const [t] = await tx.update(tickets).set({ ratingComment: comment }).where(own(e.ticketId)).returning();
        if (t) await tx.insert(ticketEvents).values(event(t.id, 'rating_comment', 'citizen', { eventId: e.eventId }));
        break;
      }
      case 'handoff': {
        conv.handoffAt = c.at;
        conv.handoffReason = e.reason;
        const [latest] = await tx
          .select({ id: tickets.id })
          .from(tickets)
          .where(and(eq(tickets.zaloUserId, userId), inArray(tickets.status, [...OPEN])))
          .orderBy(desc(tickets.id))
          .limit(1);
        const [t] = latest
          ? await tx.update(tickets).set({ needsOperatorAt: c.at }).where(eq(tickets.id, latest.id)).returning()
          : [];
        if (t) await tx.insert(ticketEvents).values(event(t.id, 'handoff_requested', 'system', { reason: e.reason }));
        break;
      }
      case 'erase_personal_data':
        await erasePersonalData(tx, userId, c.at);
        conv.contactName = null;
        conv.contactPhone = null;
        break;
    }
  }

  const data =
    step.data.ticket?.id === 0 && created
      ? { ...step.data, ticket: { id: created.id, code: created.trackingCode } }
      : step.data;
  await tx
    .update(conversations)
    .set({
      state: step.state,
      stateData: data,
      contactName: conv.contactName,
      contactPhone: conv.contactPhone,
      handoffAt: conv.handoffAt,
      handoffReason: conv.handoffReason,
      updatedAt: c.at,
      ...(c.eventAt
        ? {
            lastEventAt: sql`greatest(${conversations.lastEventAt}, ${c.eventAt.toISOString()}::timestamptz)`,
          }
        : {}),
    })
    .where(eq(conversations.id, conv.id));

  const rendered: Rendered[] = [];
  for (const r of replies) rendered.push(await render(tx, r, step, c, userId));
  const outboxIds: number[] = [];
  const messages = toMessages(rendered, created?.trackingCode);
  for (const [i, message] of messages.entries())
    outboxIds.push(
      await putInOutbox(tx, {
        dedupeKey: `${c.keyPrefix}:${i}`,
        zaloUserId: userId,
        ticketId: created?.id ?? touched,
        message,
      }),
    );
  return { outboxIds, bursts, ticketId: created?.id ?? touched, clockIds };
}

/** The stored files of these events now belong to the ticket (the console lists and serves them). */
async function linkFiles(tx: Db, ticketId: number, eventIds: number[]) {
  if (!eventIds.length) return;
  await tx
    .update(attachments)
    .set({ ticketId, updatedAt: new Date() })
    .where(and(inArray(attachments.inboundEventId, eventIds), isNull(attachments.ticketId)));
}

async function render(tx: Db, r: Reply, step: Step, c: ApplyContext, userId: string): Promise<Rendered> {
  if ('summary' in r) return renderSummary(step.data.draft!, c.names);
  if ('status' in r) {
    const [t] = await tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, r.status), eq(tickets.zaloUserId, userId)));
    return renderStatus(t!, c.names, r.buttons);
  }
  return r;
}
