import { VN_OFFSET_MINUTES } from '../sla/vn-time';

/**
 * Export cells as Vietnamese staff read them. A sheet row holds plain values (text, whole numbers,
 * Dates) and Decimal cells; each format writes them its own way: CSV as text in Vietnamese notation
 * ("4,00", "23/02/2026 17:00" in Vietnam time), XLSX as real numbers and dates with a display format,
 * so a spreadsheet can still add them up.
 */
export interface Decimal {
  decimal: number;
  places: number;
}

export const decimal = (v: number | null | undefined, places: number): Decimal | null =>
  v == null || !Number.isFinite(v) ? null : { decimal: v, places };

export const isDecimal = (v: unknown): v is Decimal =>
  typeof v === 'object' && v !== null && typeof (v as Decimal).decimal === 'number';

/** 4 → "4,00": the Vietnamese decimal comma, no grouping (a spreadsheet reads it as one number). */
export const viNumber = (v: number, places: number): string => v.toFixed(places).replace('.', ',');

const OFFSET_MS = VN_OFFSET_MINUTES * 60_000;

/** 23/02/2026 17:00 in Vietnam time. */
export function viDateTime(at: Date): string {
  const s = new Date(at.getTime() + OFFSET_MS).toISOString();
  return `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)} ${s.slice(11, 16)}`;
}

/** Excel's serial day number of an instant, read in Vietnam time (days since 1899-12-30). */
export const excelSerial = (at: Date): number => (at.getTime() + OFFSET_MS) / 86_400_000 + 25_569;

/** Raw SQL may hand back an instant as text; exports want a Date. */
export const asDate = (v: Date | string | null | undefined): Date | null =>
  v == null ? null : v instanceof Date ? v : new Date(v);

/** A cell as CSV text. */
export function cellText(v: unknown): string {
  if (v == null) return '';
  if (v instanceof Date) return viDateTime(v);
  if (isDecimal(v)) return viNumber(v.decimal, v.places);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v).replace('.', ',');
  return String(v);
}
