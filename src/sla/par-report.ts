import { and, gte, isNotNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { tickets } from '../db/schema';
import { cellText } from '../console/cells';
import { toCsv } from '../console/csv';
import type { Calendar } from './calendar';
import { REPORT_COLUMNS, REPORT_TOTAL, reportTitle } from './display';
import { answerPerformance } from './reports';
import { addDays, vnInstant, type IsoDate } from './vn-time';

/**
 * The figures the province is judged on, per unit and period: on-time rate and working days to
 * answer (from the answer clocks met in the period) and satisfaction (ratings given in the period).
 * One row per unit and a province total; formatted as CSV or a Markdown table for the PAR INDEX /
 * SIPAS self-assessment, each column naming the indicator it serves.
 */
/** What a report asks for, from the API's query or the CLI's flags (each with its own formats). */
export function reportArgsSchema<F extends string>(formats: readonly [F, ...F[]], fallback: NoInfer<F>) {
  return z
    .object({
      from: z.iso.date(),
      to: z.iso.date(),
      unit: z
        .string()
        .regex(/^[a-z0-9-]{1,60}$/)
        .optional(),
      format: z.enum(formats).default(fallback as never),
    })
    .refine((p) => p.from <= p.to, { message: 'from must not be after to', path: ['from'] });
}

export interface SlaReportRow {
  unitCode: string;
  answered: number;
  onTime: number;
  onTimeRate: number | null;
  avgWorkingDaysToAnswer: number | null;
  ratings: number;
  avgRating: number | null;
  /** Share of ratings 4 or 5 (hài lòng / rất hài lòng). */
  satisfiedRate: number | null;
}

export interface SlaReport {
  from: IsoDate;
  to: IsoDate;
  unit?: string;
  rows: SlaReportRow[];
  total: SlaReportRow;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** [from, to] are Vietnamese civil dates, both included. */
export async function slaReport(
  db: Db,
  p: { from: IsoDate; to: IsoDate; unit?: string },
  cal: Calendar,
): Promise<SlaReport> {
  const start = vnInstant(p.from, 0);
  const end = vnInstant(addDays(p.to, 1), 0);
  const perf = (await answerPerformance(db, start, end, cal)).filter((r) => !p.unit || r.unitCode === p.unit);
  const rated = await db
    .select({
      unit: tickets.unitCode,
      n: sql<number>`count(*)::int`,
      sum: sql<number>`coalesce(sum(${tickets.rating}), 0)::int`,
      satisfied: sql<number>`(count(*) filter (where ${tickets.rating} >= 4))::int`,
    })
    .from(tickets)
    .where(and(isNotNull(tickets.rating), gte(tickets.ratedAt, start), lt(tickets.ratedAt, end)))
    .groupBy(tickets.unitCode);
  const units = new Set([...perf.map((r) => r.unitCode), ...rated.map((r) => r.unit ?? '')]);
  const rows: SlaReportRow[] = [...units]
    .filter((u) => u && (!p.unit || u === p.unit))
    .sort()
    .map((u) => {
      const a = perf.find((r) => r.unitCode === u);
      const r = rated.find((x) => x.unit === u);
      return row(
        u,
        a?.answered ?? 0,
        a?.onTime ?? 0,
        (a?.avgWorkingDaysToAnswer ?? 0) * (a?.answered ?? 0),
        r?.n ?? 0,
        r?.sum ?? 0,
        r?.satisfied ?? 0,
      );
    });
  const sum = (f: (r: SlaReportRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  const total = row(
    REPORT_TOTAL,
    sum((r) => r.answered),
    sum((r) => r.onTime),
    sum((r) => (r.avgWorkingDaysToAnswer ?? 0) * r.answered),
    sum((r) => r.ratings),
    sum((r) => (r.avgRating ?? 0) * r.ratings),
    sum((r) => (r.satisfiedRate ?? 0) * r.ratings),
  );
  return { from: p.from, to: p.to, unit: p.unit, rows, total };
}

function row(
  unitCode: string,
  answered: number,
  onTime: number,
  days: number,
  ratings: number,
  ratingSum: number,
  satisfied: number,
): SlaReportRow {
  return {
    unitCode,
    answered,
    onTime,
    onTimeRate: answered ? onTime / answered : null,
    avgWorkingDaysToAnswer: answered ? round(days / answered) : null,
    ratings,
    avgRating: ratings ? round(ratingSum / ratings, 2) : null,
    satisfiedRate: ratings ? satisfied / ratings : null,
  };
}

// Read by Vietnamese staff: the decimal comma ("3,5"), as in the console's other exports.
const pct = (x: number | null) => (x === null ? '' : cellText(round(x * 100)));
const num = (x: number | null) => (x === null ? '' : cellText(x));

function cells(r: SlaReportRow): string[] {
  return [
    r.unitCode,
    String(r.answered),
    String(r.onTime),
    pct(r.onTimeRate),
    num(r.avgWorkingDaysToAnswer),
    String(r.ratings),
    num(r.avgRating),
    pct(r.satisfiedRate),
  ];
}

export function reportCsv(rep: SlaReport): string {
  return toCsv(
    REPORT_COLUMNS.map((c) => `${c.label} [${c.indicator}]`),
    [...rep.rows, rep.total].map(cells),
  );
}

/** A Markdown table to paste into the self-assessment, and under it which indicator each column serves. */
export function reportMarkdown(rep: SlaReport): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const line = (xs: string[]) => `| ${xs.map(esc).join(' | ')} |`;
  return [
    `## ${reportTitle(rep.from, rep.to, rep.unit)}`,
    '',
    line(REPORT_COLUMNS.map((c) => c.label)),
    line(REPORT_COLUMNS.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...[...rep.rows, rep.total].map((r) => line(cells(r))),
    '',
    ...REPORT_COLUMNS.slice(1).map((c) => `- ${c.label}: ${c.indicator}`),
    '',
  ].join('\n');
}
