/** Tracking codes: PA-<year>-<6-digit sequence per year>, e.g. PA-2026-000123. */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const yearFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric' });

/** The year in Vietnam at that instant: a message sent at 23:30 on 31 Dec UTC is already next year there. */
export function vietnamYear(at: Date): number {
  return Number(yearFormat.format(at));
}

export function formatTrackingCode(year: number, seq: number): string {
  return `PA-${year}-${String(seq).padStart(6, '0')}`;
}

/**
 * Reads a code as citizens type it: any case, with spaces or without dashes, with or without the
 * zero padding ("pa2026000123", "PA 2026 123"). Returns the canonical code or null.
 */
export function parseTrackingCode(input: string): string | null {
  const m = /\bpa[\s\-_.]*(20\d{2})[\s\-_.]*(\d{1,6})\b/i.exec(input.normalize('NFC'));
  if (!m) return null;
  const seq = Number(m[2]);
  if (!seq) return null;
  return formatTrackingCode(Number(m[1]), seq);
}
