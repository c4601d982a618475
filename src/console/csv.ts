import { cellText } from './cells';

/**
 * CSV for spreadsheets. A cell starting with = + - @ (or tab/CR) would run as a formula in Excel or
 * LibreOffice (CSV injection): such cells get a leading apostrophe. Every cell is quoted. Dates and
 * decimals read the Vietnamese way (src/console/cells.ts).
 */
export const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(v: unknown): string {
  let s = cellText(v);
  if (FORMULA.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** With a BOM, so Excel opens the Vietnamese text as UTF-8. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
