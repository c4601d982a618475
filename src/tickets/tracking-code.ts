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

// Separators people type between the parts: spaces, dashes of every width, dots, slashes, underscores, '#'.
const SEP = '[\\s\\-\\u2010-\\u2015\\u2212_./#:]*';
const CODE = new RegExp(`(?<![\\p{L}\\p{N}])pa${SEP}(20\\d{2})${SEP}(\\d{1,6})(?!\\p{N})`, 'iu');

/**
 * Reads a code as citizens type it: any case, with spaces or without dashes, with or without the
 * zero padding ("pa2026000123", "PA 2026 123", "pa–2026–123", "Mã: PA.2026.000123"). Returns the
 * canonical code or null.
 */
export function parseTrackingCode(input: string): string | null {
  // Full-width letters and digits (some phone keyboards) read as ASCII.
  const m = CODE.exec(input.normalize('NFKC'));
  if (!m) return null;
  const seq = Number(m[2]);
  if (!seq) return null;
  return formatTrackingCode(Number(m[1]), seq);
}

/** The text without the code in it, to see what else was written around it. */
export function withoutTrackingCode(input: string): string {
  return input.normalize('NFKC').replace(CODE, ' ').replace(/\s+/g, ' ').trim();
}
