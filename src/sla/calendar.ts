import { addDays, daysBetween, vnDate, vnInstant, weekday, type IsoDate } from './vn-time';

/**
 * The working-day calendar as a value: the functions below are pure, so callers pass the calendar
 * (built from data/calendar/vn-holidays.json plus the administrators' overrides) and the time.
 */
export interface Calendar {
  /** Office hours as minutes after local midnight, sorted, not overlapping. */
  officeHours: ReadonlyArray<{ start: number; end: number }>;
  /** Weekdays off every week (0 = Sunday). */
  weekend: ReadonlySet<number>;
  /** Days that would be working days but are not (holidays, compensatory and swapped days), with the reason. */
  offDays: ReadonlyMap<IsoDate, string>;
  /** Weekend days declared working days (swap days), with the reason. */
  workDays: ReadonlyMap<IsoDate, string>;
  /** Years the holiday data covers: a date outside them is computed on weekends alone. */
  years: ReadonlySet<number>;
}

/** Longest scan: 20 years of days, so a corrupt calendar (no working day at all) fails loudly. */
const MAX_SCAN_DAYS = 366 * 20;

export function isWorkingDay(date: IsoDate, cal: Calendar): boolean {
  if (cal.workDays.has(date)) return true;
  if (cal.offDays.has(date)) return false;
  return !cal.weekend.has(weekday(date));
}

/** The first working day strictly after date. */
export function nextWorkingDay(date: IsoDate, cal: Calendar): IsoDate {
  for (let i = 1; i <= MAX_SCAN_DAYS; i++) {
    const d = addDays(date, i);
    if (isWorkingDay(d, cal)) return d;
  }
  throw new Error('the calendar has no working day');
}

/** The first working day on or after date. */
export function workingDayOnOrAfter(date: IsoDate, cal: Calendar): IsoDate {
  return isWorkingDay(date, cal) ? date : nextWorkingDay(date, cal);
}

/** End of office hours of a civil date (e.g. 17:00). */
export function endOfOfficeDay(date: IsoDate, cal: Calendar): Date {
  return vnInstant(date, cal.officeHours[cal.officeHours.length - 1]!.end);
}

/**
 * N working days after T: the day of receipt is not counted (whatever the hour, and also when T
 * falls after hours or on a day off); the due time is the end of office hours of the N-th working
 * day after it. N = 0 means the end of the receipt day, or of the next working day if it is off.
 */
export function addWorkingDays(from: Date, n: number, cal: Calendar): Date {
  let d = vnDate(from);
  if (n <= 0) return endOfOfficeDay(workingDayOnOrAfter(d, cal), cal);
  for (let left = n; left > 0; left--) d = nextWorkingDay(d, cal);
  return endOfOfficeDay(d, cal);
}

/**
 * N (calendar) days after T: counting starts the day after T (Civil Code 2015 art. 147); when the
 * last day is not a working day the period ends on the next working day (art. 148 §2-3). The time of
 * day is the end of office hours, which is when the office that owes the answer closes.
 */
export function addCalendarDays(from: Date, n: number, cal: Calendar): Date {
  return endOfOfficeDay(workingDayOnOrAfter(addDays(vnDate(from), Math.max(0, n)), cal), cal);
}

/** Office-hour intervals of one civil date (empty on a day off). */
function intervalsOf(date: IsoDate, cal: Calendar): Array<[number, number]> {
  if (!isWorkingDay(date, cal)) return [];
  return cal.officeHours.map((h) => [vnInstant(date, h.start).getTime(), vnInstant(date, h.end).getTime()]);
}

/** The instant after `minutes` of office time from T (used for "warn at 75 % of the time"). */
export function addWorkingMinutes(from: Date, minutes: number, cal: Calendar): Date {
  let left = minutes * 60_000;
  const t0 = from.getTime();
  if (left <= 0) return from;
  const first = vnDate(from);
  for (let i = 0; i <= MAX_SCAN_DAYS; i++) {
    for (const [s, e] of intervalsOf(addDays(first, i), cal)) {
      const start = Math.max(s, t0);
      if (start >= e) continue;
      if (left <= e - start) return new Date(start + left);
      left -= e - start;
    }
  }
  throw new Error('the calendar has no working time');
}

export interface WorkingTime {
  /** Office minutes between the two instants. */
  minutes: number;
  /** Working days whose date lies after T1's date, up to and including T2's date. */
  days: number;
}

/** Working time from T1 to T2 (negative when T2 is earlier). */
export function workingTimeBetween(t1: Date, t2: Date, cal: Calendar): WorkingTime {
  if (t2 < t1) {
    const r = workingTimeBetween(t2, t1, cal);
    return { minutes: -r.minutes, days: -r.days };
  }
  const d1 = vnDate(t1);
  const span = daysBetween(d1, vnDate(t2));
  let ms = 0;
  let days = 0;
  for (let i = 0; i <= span; i++) {
    const d = addDays(d1, i);
    if (i > 0 && isWorkingDay(d, cal)) days += 1;
    for (const [s, e] of intervalsOf(d, cal)) ms += Math.max(0, Math.min(e, t2.getTime()) - Math.max(s, t1.getTime()));
  }
  return { minutes: Math.round(ms / 60_000), days };
}

export type DaysLeft =
  | { state: 'left'; workingDays: number }
  | { state: 'due_today'; workingDays: 0 }
  | { state: 'overdue'; workingDays: number; calendarDays: number };

/**
 * How a deadline stands at `now`: working days left (0 when it falls due today), or how late it is
 * (at least one day once the due time has passed).
 */
export function workingDaysLeft(now: Date, due: Date, cal: Calendar): DaysLeft {
  if (now <= due) {
    const { days } = workingTimeBetween(now, due, cal);
    return days === 0 ? { state: 'due_today', workingDays: 0 } : { state: 'left', workingDays: days };
  }
  const { days } = workingTimeBetween(due, now, cal);
  return {
    state: 'overdue',
    workingDays: Math.max(1, days),
    calendarDays: Math.max(1, daysBetween(vnDate(due), vnDate(now))),
  };
}
