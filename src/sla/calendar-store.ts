import { asc } from 'drizzle-orm';
import type { Db } from '../db/client';
import { calendarOverrides } from '../db/schema';
import type { Calendar } from './calendar';
import { buildCalendar, calendarOverrideSchema, readHolidayFile, type CalendarOverride } from './calendar-data';

/** The calendar in force: the shipped data file, then the administrators' overrides in the order made. */
export async function loadCalendar(db: Db, file?: string): Promise<Calendar> {
  const rows = await db
    .select({ date: calendarOverrides.date, kind: calendarOverrides.kind, note: calendarOverrides.note })
    .from(calendarOverrides)
    .orderBy(asc(calendarOverrides.id));
  return buildCalendar(readHolidayFile(file), rows as CalendarOverride[]);
}

/** Records an override; deadlines computed afterwards use it (existing clocks are not moved). */
export async function addCalendarOverride(db: Db, input: CalendarOverride, createdBy: string): Promise<void> {
  const o = calendarOverrideSchema.parse(input);
  await db.insert(calendarOverrides).values({ ...o, createdBy });
}
