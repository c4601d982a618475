import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ticketEvents, tickets, trackingCounters } from '../db/schema';
import { initialClocks } from '../sla/deadlines';
import { meetClock, openClocks } from '../sla/ticket-clocks';
import { HOTLINE_UNIT, type Status } from './statuses';
import { formatTrackingCode, vietnamYear } from './tracking-code';
import type { Understanding } from '../understand/understand';

export type Ticket = typeof tickets.$inferSelect;

export interface NewTicket {
  conversationId: number;
  zaloUserId: string;
  sourceEventId: number;
  content: string;
  receivedAt: Date;
  understanding?: Understanding;
}

/** Ticket fields from what was understood: routed tickets are classified; the rest wait for triage. */
function routedFields(u: Understanding | undefined) {
  if (!u) return {};
  const { classification: c, decision: d } = u;
  const routed = d.mode === 'auto' && !!d.unit;
  const status: Status = routed ? 'da_phan_loai' : 'moi_tiep_nhan';
  return {
    status,
    category: c.category,
    kind: c.kind,
    conduct: c.conduct,
    emergency: c.emergency,
    unitCode: d.unit ?? (d.mode === 'triage' ? HOTLINE_UNIT : null),
    communeCode: d.commune ?? null,
    routing: { ...d, classification: c } as unknown as Record<string, unknown>,
    routingVersion: u.routingVersion,
  };
}

/** Next number in the year's sequence; the row lock serialises concurrent intakes. */
async function nextSeq(tx: Db, year: number): Promise<number> {
  const rows = await tx
    .insert(trackingCounters)
    .values({ year, lastSeq: 1 })
    .onConflictDoUpdate({ target: trackingCounters.year, set: { lastSeq: sql`${trackingCounters.lastSeq} + 1` } })
    .returning({ seq: trackingCounters.lastSeq });
  return rows[0]!.seq;
}

/**
 * Opens a ticket for an inbound message. Call inside the event's transaction, which holds the lock
 * on the event's row and has checked it is not processed yet: so a redelivered or re-run event never
 * gets here twice, and the unique source_event_id is the backstop (a violation fails the job, whose
 * retry then finds the event processed). Every statement counts: PGlite runs them one at a time.
 */
export async function createTicket(tx: Db, input: NewTicket): Promise<Ticket> {
  const year = vietnamYear(input.receivedAt);
  const trackingCode = formatTrackingCode(year, await nextSeq(tx, year));
  const clocks = initialClocks({
    receivedAt: input.receivedAt,
    category: input.understanding?.classification.category,
  });
  const due = { forwardDueAt: clocks.forward.dueAt!, answerDueAt: clocks.answer.dueAt! };
  const { understanding, ...fields } = input;
  const [ticket] = await tx
    .insert(tickets)
    .values({ ...fields, trackingCode, status: 'moi_tiep_nhan', ...due, ...routedFields(understanding) })
    .returning();
  // The reminders for these clocks are scheduled after commit by the sla sweep (like the outbox).
  await openClocks(tx, ticket!.id, ticket!.unitCode, clocks);
  // Routed by the classifier: forwarding is done at receipt, so no unit is reminded to forward it.
  if (ticket!.status === 'da_phan_loai') await meetClock(tx, ticket!.id, 'forward', input.receivedAt);
  const received = {
    ticketId: ticket!.id,
    type: 'received',
    actor: 'citizen',
    data: {
      trackingCode,
      sourceEventId: input.sourceEventId,
      forwardDueAt: due.forwardDueAt,
      answerDueAt: due.answerDueAt,
    },
  };
  const d = understanding?.decision;
  const classified = understanding &&
    d && {
      ticketId: ticket!.id,
      type: 'classified',
      actor: 'system',
      data: {
        classification: understanding.classification,
        mode: d.mode,
        unit: d.unit ?? null,
        commune: d.commune ?? null,
        communeSource: d.communeSource ?? null,
        needsCommune: d.needsCommune,
        copyTo: d.copyTo,
        rule: d.rule?.id ?? null,
        reason: d.reason,
        routingVersion: understanding.routingVersion,
      },
    };
  await tx.insert(ticketEvents).values(classified ? [received, classified] : [received]);
  return ticket!;
}
