/**
 * Dates and instants in Vietnam (Asia/Ho_Chi_Minh: UTC+7 all year, no daylight saving since 1975),
 * by arithmetic, without a time-zone library. A civil date is an ISO string "YYYY-MM-DD".
 */
export type IsoDate = string;

export const VN_OFFSET_MINUTES = 7 * 60;
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const OFFSET_MS = VN_OFFSET_MINUTES * MINUTE_MS;

/** The civil date in Vietnam of an instant. */
export function vnDate(at: Date): IsoDate {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** Minutes since local midnight in Vietnam. */
export function vnMinuteOfDay(at: Date): number {
  return Math.floor(((at.getTime() + OFFSET_MS) % DAY_MS) / MINUTE_MS);
}

/** The instant of a local time (minutes after midnight) on a Vietnamese civil date. */
export function vnInstant(date: IsoDate, minute: number): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS + minute * MINUTE_MS);
}

export function addDays(date: IsoDate, n: number): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Whole days from a to b (negative when b is earlier). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** ISO 8601 with the Vietnamese offset, e.g. 2026-02-23T17:00:00+07:00 (what citizens and officials read). */
export function formatVn(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 19) + '+07:00';
}

/** "07:30" → 450. */
export function parseHm(hm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hm);
  if (!m) throw new Error(`not a time of day (HH:MM): ${hm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export const isIsoDate = (s: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && addDays(s, 0) === s;
