/**
 * First-version deadlines (domain.md §2): forward within 5 working days, answer within 20 days.
 * Weekends are skipped; public holidays and office hours arrive with the working-day calendar.
 */
export const DEFAULT_POLICY = { forwardWorkingDays: 5, answerCalendarDays: 20 } as const;

const DAY_MS = 24 * 3600 * 1000;
const VN_OFFSET_MS = 7 * 3600 * 1000;

/** Weekday (0 = Sunday) of an instant in Vietnam (UTC+7, no daylight saving). */
function vnWeekday(at: Date): number {
  return new Date(at.getTime() + VN_OFFSET_MS).getUTCDay();
}

/** The day of receipt is not counted; each following Monday–Friday counts one. */
export function addWeekdays(from: Date, days: number): Date {
  let t = from.getTime();
  let left = days;
  while (left > 0) {
    t += DAY_MS;
    const wd = vnWeekday(new Date(t));
    if (wd !== 0 && wd !== 6) left -= 1;
  }
  return new Date(t);
}

export function initialDeadlines(receivedAt: Date, policy = DEFAULT_POLICY): { forwardDueAt: Date; answerDueAt: Date } {
  return {
    forwardDueAt: addWeekdays(receivedAt, policy.forwardWorkingDays),
    answerDueAt: new Date(receivedAt.getTime() + policy.answerCalendarDays * DAY_MS),
  };
}
