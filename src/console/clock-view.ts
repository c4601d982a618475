import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ticketClocks } from '../db/schema';
import { viSla } from '../conversation/catalogue';
import type { ClockKind } from '../sla/clocks';
import { slaContext, type SlaContext } from '../sla/deadlines';
import { clockStatusText, daysLateWhenMet } from '../sla/display';

/** A ticket's clocks as the console shows them: "còn N ngày làm việc" / "quá hạn N ngày". */
export interface ClockView {
  kind: string;
  label: string;
  unitCode: string;
  status: string;
  startedAt: Date;
  dueAt: Date | null;
  text: string;
  /** When the step was done (met clocks). */
  metAt: Date | null;
  /** Met clocks: 0 on time, else days late; null otherwise. */
  daysLate: number | null;
}

/** The clock that says where a ticket stands, open ones first: answer, then forwarding, then first response. */
const PRIORITY: ClockKind[] = ['answer', 'forward', 'first_response', 'publish'];
const isOpen = (c: ClockView) => c.status === 'running' || c.status === 'paused';

export function headlineClock(clocks: ClockView[]): ClockView | null {
  const rank = (c: ClockView) => (isOpen(c) ? 0 : 10) + PRIORITY.indexOf(c.kind as ClockKind);
  return [...clocks].sort((a, b) => rank(a) - rank(b) || b.startedAt.getTime() - a.startedAt.getTime())[0] ?? null;
}

/** Every clock of the given tickets, oldest first, grouped by ticket id. */
export async function clocksOf(
  db: Db,
  ticketIds: number[],
  now = new Date(),
  ctx: SlaContext = slaContext(),
): Promise<Map<number, ClockView[]>> {
  const byTicket = new Map<number, ClockView[]>();
  if (!ticketIds.length) return byTicket;
  const rows = await db
    .select()
    .from(ticketClocks)
    .where(inArray(ticketClocks.ticketId, ticketIds))
    .orderBy(asc(ticketClocks.id));
  for (const r of rows) {
    const view: ClockView = {
      kind: r.kind,
      label: viSla.clock[r.kind as ClockKind] ?? r.kind,
      unitCode: r.unitCode,
      status: r.status,
      startedAt: r.startedAt,
      dueAt: r.dueAt,
      text: clockStatusText({ status: r.status, dueAt: r.dueAt, basis: r.basis }, now, ctx.cal),
      metAt: r.metAt,
      daysLate: daysLateWhenMet(r, ctx.cal),
    };
    byTicket.set(r.ticketId, [...(byTicket.get(r.ticketId) ?? []), view]);
  }
  return byTicket;
}

/** Adds `deadline` (the headline clock) to each listed ticket. */
export async function withDeadlines<T extends { id: number }, S>(
  db: Db,
  rows: T[],
  summary: (t: T) => S,
  now = new Date(),
): Promise<Array<S & { deadline: ClockView | null }>> {
  const clocks = await clocksOf(
    db,
    rows.map((r) => r.id),
    now,
  );
  return rows.map((r) => ({ ...summary(r), deadline: headlineClock(clocks.get(r.id) ?? []) }));
}
