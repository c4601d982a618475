import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Calendar } from './calendar';
import { isIsoDate, parseHm, type IsoDate } from './vn-time';

/** The holiday data file (data/calendar/vn-holidays.json) and the administrators' overrides. */
export const HOLIDAYS_FILE = path.resolve(__dirname, '../../data/calendar/vn-holidays.json');

const isoDate = z.string().refine(isIsoDate, 'a date YYYY-MM-DD');
const hm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

export const DAY_KINDS = ['holiday', 'compensatory', 'swap_off', 'swap_workday'] as const;
export type DayKind = (typeof DAY_KINDS)[number];

const dayEntry = z.object({
  date: isoDate,
  kind: z.enum(DAY_KINDS),
  name: z.string().min(1),
  lunar: z.object({ day: z.number().int().min(1).max(30), month: z.number().int().min(1).max(12) }).optional(),
  sources: z.array(z.string()).min(1),
});

export const holidayFileSchema = z
  .object({
    timezone: z.literal('Asia/Ho_Chi_Minh'),
    officeHours: z.array(z.object({ start: hm, end: hm })).min(1),
    weekend: z.array(z.number().int().min(0).max(6)),
    documents: z.record(
      z.string(),
      z.object({ number: z.string().nullable(), date: isoDate.nullable(), issuer: z.string().min(1) }).loose(),
    ),
    years: z.record(
      z.string().regex(/^\d{4}$/),
      z.object({ status: z.string().min(1), note: z.string().optional(), days: z.array(dayEntry) }),
    ),
  })
  .loose()
  .superRefine((f, ctx) => {
    for (const [year, y] of Object.entries(f.years)) {
      for (const d of y.days) {
        if (!d.date.startsWith(year)) ctx.addIssue({ code: 'custom', message: `${d.date} is filed under ${year}` });
        for (const s of d.sources) {
          if (!f.documents[s]) ctx.addIssue({ code: 'custom', message: `${d.date}: unknown source ${s}` });
        }
      }
    }
    const hours = f.officeHours.map((h) => [parseHm(h.start), parseHm(h.end)] as const);
    hours.forEach(([s, e], i) => {
      if (e <= s || (i > 0 && s < hours[i - 1]![1]))
        ctx.addIssue({ code: 'custom', message: 'office hours must be sorted, non-empty intervals' });
    });
  });
export type HolidayFile = z.infer<typeof holidayFileSchema>;

/** An administrator's correction: a date made a holiday or a working day (calendar_overrides). */
export const calendarOverrideSchema = z.object({
  date: isoDate,
  kind: z.enum(['holiday', 'workday']),
  note: z.string().default(''),
});
export type CalendarOverride = z.input<typeof calendarOverrideSchema>;

export function readHolidayFile(file = HOLIDAYS_FILE): HolidayFile {
  return holidayFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** The calendar value the pure functions take: the data file, then overrides in order (later wins). */
export function buildCalendar(data: HolidayFile, overrides: readonly CalendarOverride[] = []): Calendar {
  const offDays = new Map<IsoDate, string>();
  const workDays = new Map<IsoDate, string>();
  for (const y of Object.values(data.years)) {
    for (const d of y.days) {
      if (d.kind === 'swap_workday') workDays.set(d.date, d.name);
      else offDays.set(d.date, d.name);
    }
  }
  for (const raw of overrides) {
    const o = calendarOverrideSchema.parse(raw);
    if (o.kind === 'holiday') {
      workDays.delete(o.date);
      offDays.set(o.date, o.note || 'ngày nghỉ (điều chỉnh)');
    } else {
      offDays.delete(o.date);
      workDays.set(o.date, o.note || 'ngày làm việc (điều chỉnh)');
    }
  }
  return {
    officeHours: data.officeHours.map((h) => ({ start: parseHm(h.start), end: parseHm(h.end) })),
    weekend: new Set(data.weekend),
    offDays,
    workDays,
    years: new Set(Object.keys(data.years).map(Number)),
  };
}

let cached: Calendar | undefined;
/** The shipped calendar without overrides (the CLI and tests); the app adds the database's overrides. */
export function defaultCalendar(): Calendar {
  cached ??= buildCalendar(readHolidayFile());
  return cached;
}
