import { viSla } from '../conversation/catalogue';
import { addWorkingDays, workingDaysLeft, type Calendar } from './calendar';
import type { Basis } from './clocks';
import { vnDate, type IsoDate } from './vn-time';

/** How a clock stands, as shown everywhere: "còn N ngày làm việc" / "quá hạn N ngày". */
export function clockStatusText(
  clock: { status: string; dueAt: Date | null; basis: Basis | Record<string, unknown> },
  now: Date,
  cal: Calendar,
): string {
  if (clock.status === 'met') return viSla.met;
  if (clock.status === 'superseded') return viSla.superseded;
  if (clock.status === 'cancelled') return viSla.cancelled;
  if (clock.status === 'paused' || !clock.dueAt) return viSla.paused;
  const left = workingDaysLeft(now, clock.dueAt, cal);
  if (left.state === 'left') return viSla.daysLeft(left.workingDays);
  if (left.state === 'due_today') return viSla.dueToday;
  // A period counted in calendar days is late by calendar days; a working-day one by working days.
  return viSla.overdue(clock.basis.count === 'calendar' ? left.calendarDays : left.workingDays);
}

/** 23/02/2026 */
export function viDate(date: IsoDate | Date): string {
  const d = typeof date === 'string' ? date : vnDate(date);
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
}

export interface LateAnswerInput {
  agency: string;
  trackingCode: string;
  receivedAt: Date;
  dueAt: Date;
  reason: string;
  now: Date;
  /** How many working days the unit asks for (the new date it commits to). */
  extraWorkingDays: number;
}

/** The late answer's apology and new date (Circular 01/2018/TT-VPCP form 04). */
export function lateAnswerNotice(input: LateAnswerInput, cal: Calendar): { newDueAt: Date; text: string } {
  const newDueAt = addWorkingDays(input.now, input.extraWorkingDays, cal);
  const text = viSla.lateApology({
    agency: input.agency,
    trackingCode: input.trackingCode,
    receivedDate: viDate(input.receivedAt),
    dueDate: viDate(input.dueAt),
    newDate: viDate(newDueAt),
    reason: input.reason,
  });
  return { newDueAt, text };
}
