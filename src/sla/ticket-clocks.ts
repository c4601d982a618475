import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ticketClocks, ticketEvents, tickets } from '../db/schema';
import { AppError } from '../errors';
import {
  clockDue,
  computeClocks,
  type Basis,
  type ClockKind,
  type Clocks,
  type ComputedClock,
  type Pause,
} from './clocks';
import { slaContext, type SlaContext } from './deadlines';

/** A ticket's clocks in the database: opened at receipt, moved by transfers, paused and resumed. */
export type ClockRow = typeof ticketClocks.$inferSelect;
const OPEN = ['running', 'paused'];

export function pausesOf(row: Pick<ClockRow, 'pauses'>): Pause[] {
  return row.pauses.map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null }));
}

function rowValues(ticketId: number, unitCode: string, c: ComputedClock) {
  return {
    ticketId,
    kind: c.kind,
    unitCode,
    startedAt: c.startedAt,
    basis: c.basis as unknown as Record<string, unknown>,
    pauses: (c.pauses ?? []).map((p) => ({ from: p.from.toISOString(), to: p.to?.toISOString() ?? null })),
    dueAt: c.dueAt,
    status: c.dueAt ? 'running' : 'paused',
  };
}

/**
 * The clocks a new ticket starts with (one statement, inside the intake transaction): the hotline's
 * first response, forwarding by whoever holds it, and the answer by the unit in charge.
 */
export async function openClocks(tx: Db, ticketId: number, unitCode: string | null, clocks: Clocks): Promise<void> {
  const holder = unitCode ?? clocks.policy.firstResponse.unit;
  await tx
    .insert(ticketClocks)
    .values([
      rowValues(ticketId, clocks.policy.firstResponse.unit, clocks.firstResponse),
      rowValues(ticketId, holder, clocks.forward),
      rowValues(ticketId, holder, clocks.answer),
    ]);
}

async function openClocksOf(tx: Db, ticketId: number, kinds: ClockKind[]): Promise<ClockRow[]> {
  return tx
    .select()
    .from(ticketClocks)
    .where(
      and(eq(ticketClocks.ticketId, ticketId), inArray(ticketClocks.kind, kinds), inArray(ticketClocks.status, OPEN)),
    )
    .for('update');
}

async function ticketFor(tx: Db, ticketId: number) {
  const [t] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
  if (!t) throw new AppError('NOT_FOUND', `no ticket ${ticketId}`);
  return t;
}

export interface TransferInput {
  ticketId: number;
  toUnit: string;
  at: Date;
  actor: string;
  reason?: string;
}

/**
 * Moves a ticket to another unit: the forwarding clock is met, the old unit's answer clock is
 * superseded, and the new unit gets its own answer clock from now (Decree 20/2008: the competent
 * body's time runs from when it receives the item). The original receipt stays on the ticket.
 * Returns the ids of the clocks whose reminders must be rescheduled.
 */
export async function transferTicket(db: Db, input: TransferInput, ctx: SlaContext = slaContext()): Promise<number[]> {
  return db.transaction(async (tx) => {
    const t = await ticketFor(tx, input.ticketId);
    const open = await openClocksOf(tx, t.id, ['forward', 'answer']);
    const oldAnswer = open.find((c) => c.kind === 'answer');
    const forward = open.find((c) => c.kind === 'forward');
    if (forward) {
      await tx
        .update(ticketClocks)
        .set({ status: 'met', metAt: input.at, updatedAt: input.at })
        .where(eq(ticketClocks.id, forward.id));
    }
    if (oldAnswer) {
      await tx
        .update(ticketClocks)
        .set({ status: 'superseded', metAt: input.at, updatedAt: input.at })
        .where(eq(ticketClocks.id, oldAnswer.id));
    }
    const c = computeClocks(
      { receivedAt: t.receivedAt, category: t.category, assignedAt: input.at },
      ctx.policy,
      ctx.cal,
    );
    const [created] = await tx
      .insert(ticketClocks)
      .values(rowValues(t.id, input.toUnit, c.answer))
      .returning({ id: ticketClocks.id });
    await tx
      .update(tickets)
      .set({ unitCode: input.toUnit, status: 'da_chuyen_don_vi', answerDueAt: c.answer.dueAt, updatedAt: input.at })
      .where(eq(tickets.id, t.id));
    await tx.insert(ticketEvents).values({
      ticketId: t.id,
      type: 'transferred',
      actor: input.actor,
      data: {
        fromUnit: t.unitCode,
        toUnit: input.toUnit,
        reason: input.reason ?? null,
        receivedAt: t.receivedAt.toISOString(),
        transferredAt: input.at.toISOString(),
        previousAnswerDueAt: oldAnswer?.dueAt?.toISOString() ?? null,
        answerDueAt: c.answer.dueAt?.toISOString() ?? null,
        forwardDueAt: forward?.dueAt?.toISOString() ?? null,
        forwardedInTime: forward?.dueAt ? input.at <= forward.dueAt : null,
      },
    });
    return [forward?.id, oldAnswer?.id, created!.id].filter((x): x is number => typeof x === 'number');
  });
}

/** Recomputes an open clock from its start, basis and pauses (the policy is in the basis). */
function recompute(row: ClockRow, pauses: Pause[], ctx: SlaContext): Date | null {
  return clockDue(
    { kind: row.kind as ClockKind, startedAt: row.startedAt, basis: row.basis as unknown as Basis, pauses },
    ctx.cal,
  );
}

async function setPauses(tx: Db, row: ClockRow, pauses: Pause[], at: Date, ctx: SlaContext): Promise<Date | null> {
  const dueAt = recompute(row, pauses, ctx);
  await tx
    .update(ticketClocks)
    .set({
      pauses: pauses.map((p) => ({ from: p.from.toISOString(), to: p.to?.toISOString() ?? null })),
      dueAt,
      status: dueAt ? 'running' : 'paused',
      updatedAt: at,
    })
    .where(eq(ticketClocks.id, row.id));
  return dueAt;
}

export interface PauseInput {
  ticketId: number;
  at: Date;
  actor: string;
  reason?: string;
}

/** Stops the forwarding and answer clocks while the citizen's information is awaited. */
export async function pauseClocks(db: Db, input: PauseInput, ctx: SlaContext = slaContext()): Promise<number[]> {
  return db.transaction(async (tx) => {
    const t = await ticketFor(tx, input.ticketId);
    const rows = (await openClocksOf(tx, t.id, ['forward', 'answer'])).filter((r) => r.status === 'running');
    for (const r of rows) await setPauses(tx, r, [...pausesOf(r), { from: input.at }], input.at, ctx);
    if (rows.length) {
      await tx.insert(ticketEvents).values({
        ticketId: t.id,
        type: 'clock_paused',
        actor: input.actor,
        data: {
          at: input.at.toISOString(),
          reason: input.reason ?? 'chờ bổ sung thông tin',
          clocks: rows.map((r) => r.kind),
        },
      });
    }
    return rows.map((r) => r.id);
  });
}

/** Restarts paused clocks; their due times move by the time they stood still. */
export async function resumeClocks(db: Db, input: PauseInput, ctx: SlaContext = slaContext()): Promise<number[]> {
  return db.transaction(async (tx) => {
    const t = await ticketFor(tx, input.ticketId);
    const rows = (await openClocksOf(tx, t.id, ['forward', 'answer'])).filter((r) => r.status === 'paused');
    const due: Record<string, string | null> = {};
    for (const r of rows) {
      const pauses = pausesOf(r).map((p) => (p.to ? p : { ...p, to: input.at }));
      due[r.kind] = (await setPauses(tx, r, pauses, input.at, ctx))?.toISOString() ?? null;
    }
    if (rows.length) {
      await tx
        .update(tickets)
        .set({
          ...(due.answer ? { answerDueAt: new Date(due.answer) } : {}),
          ...(due.forward ? { forwardDueAt: new Date(due.forward) } : {}),
          updatedAt: input.at,
        })
        .where(eq(tickets.id, t.id));
      await tx.insert(ticketEvents).values({
        ticketId: t.id,
        type: 'clock_resumed',
        actor: input.actor,
        data: { at: input.at.toISOString(), dueAt: due },
      });
    }
    return rows.map((r) => r.id);
  });
}

/** Stops a clock because its step is done (first response given, answer sent, result published). */
export async function meetClock(db: Db, ticketId: number, kind: ClockKind, at: Date): Promise<number[]> {
  const rows = await db
    .update(ticketClocks)
    .set({ status: 'met', metAt: at, updatedAt: at })
    .where(and(eq(ticketClocks.ticketId, ticketId), eq(ticketClocks.kind, kind), inArray(ticketClocks.status, OPEN)))
    .returning({ id: ticketClocks.id });
  return rows.map((r) => r.id);
}

/**
 * Stops every open clock of tickets that closed without an answer (withdrawn, merged, not eligible):
 * nothing is owed any more, so the reminders go too (syncReminders removes the jobs of clocks that
 * stopped running). Returns the ids of the clocks whose reminders must be removed.
 */
export async function cancelClocks(db: Db, ticketIds: number[], at: Date): Promise<number[]> {
  if (!ticketIds.length) return [];
  const rows = await db
    .update(ticketClocks)
    .set({ status: 'cancelled', metAt: at, updatedAt: at })
    .where(and(inArray(ticketClocks.ticketId, ticketIds), inArray(ticketClocks.status, OPEN)))
    .returning({ id: ticketClocks.id });
  return rows.map((r) => r.id);
}
