import { and, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ticketClocks, tickets } from '../db/schema';
import { workingDaysLeft, workingTimeBetween, type Calendar } from './calendar';
import type { Basis } from './clocks';
import { clockStatusText } from './display';

/**
 * What the inspection dashboard and the digests show: per unit, what is late and by how much, and
 * the figures the province is judged on (on-time rate, time to answer). Queries read; the
 * arithmetic is done by the pure functions over the calendar.
 */
export interface OpenItem {
  ticketId: number;
  trackingCode: string;
  unitCode: string;
  clock: string;
  dueAt: Date | null;
  status: string;
  /** "còn N ngày làm việc" / "quá hạn N ngày" / … */
  label: string;
  overdueDays: number;
  workingDaysLeft: number | null;
}

export async function openItems(db: Db, now: Date, cal: Calendar, unitCode?: string): Promise<OpenItem[]> {
  const rows = await db
    .select({ c: ticketClocks, trackingCode: tickets.trackingCode })
    .from(ticketClocks)
    .innerJoin(tickets, eq(tickets.id, ticketClocks.ticketId))
    .where(
      and(
        inArray(ticketClocks.status, ['running', 'paused']),
        unitCode ? eq(ticketClocks.unitCode, unitCode) : undefined,
      ),
    );
  return rows
    .map(({ c, trackingCode }) => {
      const basis = c.basis as unknown as Basis;
      const left = c.dueAt && c.status === 'running' ? workingDaysLeft(now, c.dueAt, cal) : null;
      const overdue =
        left?.state === 'overdue' ? (basis.count === 'calendar' ? left.calendarDays : left.workingDays) : 0;
      return {
        ticketId: c.ticketId,
        trackingCode,
        unitCode: c.unitCode,
        clock: c.kind,
        dueAt: c.dueAt,
        status: c.status,
        label: clockStatusText({ status: c.status, dueAt: c.dueAt, basis }, now, cal),
        overdueDays: overdue,
        workingDaysLeft: left && left.state !== 'overdue' ? left.workingDays : null,
      };
    })
    .sort(
      (a, b) => b.overdueDays - a.overdueDays || (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity),
    );
}

export interface UnitLateness {
  unitCode: string;
  open: number;
  overdue: number;
  /** The worst lateness in days. */
  maxOverdueDays: number;
  dueWithin2Days: number;
}

/** Per unit: how many open deadlines, how many late and by how much (the inspector's first view). */
export function latenessByUnit(items: readonly OpenItem[]): UnitLateness[] {
  const byUnit = new Map<string, UnitLateness>();
  for (const i of items) {
    const u = byUnit.get(i.unitCode) ?? {
      unitCode: i.unitCode,
      open: 0,
      overdue: 0,
      maxOverdueDays: 0,
      dueWithin2Days: 0,
    };
    u.open += 1;
    if (i.overdueDays > 0) u.overdue += 1;
    u.maxOverdueDays = Math.max(u.maxOverdueDays, i.overdueDays);
    if (i.workingDaysLeft !== null && i.workingDaysLeft <= 2) u.dueWithin2Days += 1;
    byUnit.set(i.unitCode, u);
  }
  return [...byUnit.values()].sort((a, b) => b.overdue - a.overdue || b.maxOverdueDays - a.maxOverdueDays);
}

export interface UnitPerformance {
  unitCode: string;
  answered: number;
  onTime: number;
  /** Share answered by the due time (PAR INDEX / SIPAS self-assessment), null without answers. */
  onTimeRate: number | null;
  /** Mean working days from the unit's clock start to its answer. */
  avgWorkingDaysToAnswer: number | null;
}

/** Answers given in [from, to): on-time rate and time to answer per unit (the clock of the unit that answered). */
export async function answerPerformance(db: Db, from: Date, to: Date, cal: Calendar): Promise<UnitPerformance[]> {
  const rows = await db
    .select()
    .from(ticketClocks)
    .where(
      and(
        eq(ticketClocks.kind, 'answer'),
        eq(ticketClocks.status, 'met'),
        gte(ticketClocks.metAt, from),
        lt(ticketClocks.metAt, to),
      ),
    );
  const byUnit = new Map<string, { answered: number; onTime: number; days: number }>();
  for (const c of rows) {
    const u = byUnit.get(c.unitCode) ?? { answered: 0, onTime: 0, days: 0 };
    u.answered += 1;
    if (c.dueAt && c.metAt! <= c.dueAt) u.onTime += 1;
    u.days += workingTimeBetween(c.startedAt, c.metAt!, cal).days;
    byUnit.set(c.unitCode, u);
  }
  return [...byUnit.entries()]
    .map(([unitCode, u]) => ({
      unitCode,
      answered: u.answered,
      onTime: u.onTime,
      onTimeRate: u.answered ? u.onTime / u.answered : null,
      avgWorkingDaysToAnswer: u.answered ? Math.round((u.days / u.answered) * 10) / 10 : null,
    }))
    .sort((a, b) => a.unitCode.localeCompare(b.unitCode));
}
