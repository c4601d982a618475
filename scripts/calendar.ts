// Batch deadlines (a contract other tools rely on):
//   npm run --silent calendar < in.jsonl > out.jsonl
// reads JSON Lines {"id","from":"<ISO time>","workingDays":N} or {"id","from","days":N}; writes one
// line per input line, in order: {"id","due":"<ISO time, +07:00>","dueDate":"YYYY-MM-DD"}.
// The day of receipt is not counted; the due time is the end of office hours of the last day; a
// "days" period whose last day is off ends on the next working day (Civil Code art. 148).
// A bad line gets {"id"?, "line", "error":{"code","message"}} and the run goes on; exit status 0.
// Holidays come from data/calendar/vn-holidays.json; with DATABASE_URL set, the administrators'
// overrides (calendar_overrides) apply too. Neither Redis nor a database is needed.
import readline from 'node:readline';
import { z } from 'zod';
import { addCalendarDays, addWorkingDays, type Calendar } from '../src/sla/calendar';
import { defaultCalendar } from '../src/sla/calendar-data';
import { loadCalendar } from '../src/sla/calendar-store';
import { openDatabase } from '../src/db/client';
import { formatVn, isIsoDate, vnDate } from '../src/sla/vn-time';

const count = z.number().int().min(0).max(3660);
const inputSchema = z.union([
  z.strictObject({ id: z.union([z.string(), z.number()]), from: z.string(), workingDays: count }),
  z.strictObject({ id: z.union([z.string(), z.number()]), from: z.string(), days: count }),
]);
type Input = z.infer<typeof inputSchema>;

/** An ISO time; without an offset it is Vietnamese local time, a bare date is its midnight. */
export function parseFrom(s: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(s.trim());
  if (!m) return null;
  if (!isIsoDate(m[1]!)) return null;
  const d = new Date(`${m[1]}T${m[2] ?? '00:00'}${m[3] ?? '+07:00'}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

type Output = { id: string | number; due: string; dueDate: string } | { error: { code: string; message: string } };

export function answer(input: Input, cal: Calendar): Output {
  const from = parseFrom(input.from);
  if (!from) return { error: { code: 'BAD_TIME', message: `from: not an ISO date or time: ${input.from}` } };
  const due =
    'workingDays' in input ? addWorkingDays(from, input.workingDays, cal) : addCalendarDays(from, input.days, cal);
  for (const t of [from, due]) {
    const year = Number(vnDate(t).slice(0, 4));
    if (!cal.years.has(year)) {
      return {
        error: { code: 'OUTSIDE_CALENDAR', message: `no holiday data for ${year} (data/calendar/vn-holidays.json)` },
      };
    }
  }
  return { id: input.id, due: formatVn(due), dueDate: vnDate(due) };
}

async function calendarInForce(): Promise<Calendar> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) return defaultCalendar();
  const database = await openDatabase({ url, migrate: false, poolSize: 1 });
  try {
    return await loadCalendar(database.db);
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const cal = await calendarInForce();
  const write = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
  let line = 0;
  for await (const raw of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    line += 1;
    if (!raw.trim()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      write({ line, error: { code: 'BAD_JSON', message: 'the line is not valid JSON' } });
      continue;
    }
    const id = (parsed as { id?: unknown })?.id;
    const idField = typeof id === 'string' || typeof id === 'number' ? { id } : {};
    const r = inputSchema.safeParse(parsed);
    if (!r.success) {
      const message = 'expected {"id","from","workingDays"} or {"id","from","days"} with a whole number 0–3660';
      write({ ...idField, line, error: { code: 'BAD_INPUT', message } });
      continue;
    }
    const out = answer(r.data, cal);
    write('error' in out ? { ...idField, line, ...out } : out);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`calendar: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
