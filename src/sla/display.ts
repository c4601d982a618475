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

/**
 * How late a clock was met: 0 when on time, else days past the deadline (calendar or working days,
 * as the period is counted). Null when the clock is not met or has no deadline.
 */
export function daysLateWhenMet(
  clock: { status: string; dueAt: Date | null; metAt: Date | null; basis: Basis | Record<string, unknown> },
  cal: Calendar,
): number | null {
  if (clock.status !== 'met' || !clock.dueAt || !clock.metAt) return null;
  const left = workingDaysLeft(clock.metAt, clock.dueAt, cal);
  if (left.state !== 'overdue') return 0;
  return clock.basis.count === 'calendar' ? left.calendarDays : left.workingDays;
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

/**
 * The SLA report's columns and the self-assessment indicator each one serves: PAR INDEX scores how
 * petitions about administrative procedures are received and handled on time; SIPAS measures
 * satisfaction with that handling. The criterion numbers change with each year's decision, so the
 * indicator is named by what it measures.
 */
export const REPORT_COLUMNS = [
  { label: 'Đơn vị', indicator: '' },
  { label: 'Số PAKN đã trả lời', indicator: 'PAR INDEX – tiếp nhận, xử lý PAKN về quy định hành chính (số đã xử lý)' },
  { label: 'Số trả lời đúng hạn', indicator: 'PAR INDEX – PAKN được xử lý đúng hạn (số lượng)' },
  { label: 'Tỷ lệ đúng hạn (%)', indicator: 'PAR INDEX – tỷ lệ PAKN được xử lý đúng hạn' },
  { label: 'Thời gian trả lời TB (ngày làm việc)', indicator: 'PAR INDEX / SIPAS – thời gian giải quyết (minh chứng)' },
  { label: 'Số lượt đánh giá', indicator: 'SIPAS – cỡ mẫu đánh giá của người gửi' },
  { label: 'Điểm hài lòng TB (1–5)', indicator: 'SIPAS – mức độ hài lòng về tiếp nhận, xử lý PAKN' },
  { label: 'Tỷ lệ hài lòng (%)', indicator: 'SIPAS – tỷ lệ hài lòng (đánh giá 4–5)' },
] as const;

export const REPORT_TOTAL = 'Toàn tỉnh';

export function reportTitle(from: IsoDate, to: IsoDate, unit?: string): string {
  return `Kết quả xử lý phản ánh, kiến nghị qua Tổng đài từ ${viDate(from)} đến ${viDate(to)}${unit ? ` – đơn vị ${unit}` : ''}`;
}
