import { lunarToSolar } from '../scripts/lunar';
import {
  addCalendarDays,
  addWorkingDays,
  addWorkingMinutes,
  isWorkingDay,
  workingDaysLeft,
  workingTimeBetween,
} from '../src/sla/calendar';
import { buildCalendar, defaultCalendar, readHolidayFile } from '../src/sla/calendar-data';
import { formatVn, weekday } from '../src/sla/vn-time';

const cal = defaultCalendar();
/** A Vietnamese local time, e.g. at('2026-02-13 10:00'). */
const at = (s: string) => new Date(`${s.replace(' ', 'T')}:00+07:00`);
const due = (d: Date) => formatVn(d);

describe('holiday data (data/calendar/vn-holidays.json)', () => {
  const data = readHolidayFile();
  it('lunar-derived days match the lunar calendar (Hồ Ngọc Đức, UTC+7)', () => {
    expect(lunarToSolar(1, 1, 2025)).toBe('2025-01-29');
    expect(lunarToSolar(1, 1, 2026)).toBe('2026-02-17');
    expect(lunarToSolar(1, 1, 2027)).toBe('2027-02-06');
    expect(lunarToSolar(10, 3, 2025)).toBe('2025-04-07');
    expect(lunarToSolar(10, 3, 2026)).toBe('2026-04-26');
    expect(lunarToSolar(10, 3, 2027)).toBe('2027-04-16');
    let checked = 0;
    for (const [year, y] of Object.entries(data.years)) {
      for (const d of y.days.filter((x) => x.lunar)) {
        expect([d.name, lunarToSolar(d.lunar!.day, d.lunar!.month, Number(year))]).toEqual([d.name, d.date]);
        checked += 1;
      }
    }
    expect(checked).toBe(6);
  });
  it('has the 11 statutory holidays each year, swaps on the right weekdays, and a source for every day', () => {
    for (const [year, y] of Object.entries(data.years)) {
      expect([year, y.days.filter((d) => d.kind === 'holiday').length]).toEqual([year, 11]);
      for (const d of y.days) {
        if (d.kind === 'swap_workday') expect([d.date, weekday(d.date)]).toEqual([d.date, 6]);
        if (d.kind === 'swap_off' || d.kind === 'compensatory') expect([1, 2, 3, 4, 5]).toContain(weekday(d.date));
        for (const s of d.sources) expect(data.documents[s]).toBeDefined();
      }
    }
    expect(data.years['2027']!.status).toBe('statutory, swap days not yet announced');
  });
  it('2026 matches the official announcements (9441/TB-BNV, 12729/VPCP-KGVX)', () => {
    const off = (from: string, to: string) => {
      const days: string[] = [];
      for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000)
        days.push(new Date(t).toISOString().slice(0, 10));
      return days.every((d) => !isWorkingDay(d, cal));
    };
    expect(off('2026-01-01', '2026-01-04')).toBe(true);
    expect(isWorkingDay('2026-01-10', cal)).toBe(true); // Saturday worked for Friday 2/1
    expect(off('2026-02-14', '2026-02-22')).toBe(true); // 9 days of Tết
    expect(isWorkingDay('2026-02-13', cal)).toBe(true);
    expect(isWorkingDay('2026-02-23', cal)).toBe(true);
    expect(off('2026-04-25', '2026-04-27')).toBe(true); // Giỗ Tổ on Sunday, Monday compensatory
    expect(off('2026-04-30', '2026-05-03')).toBe(true);
    expect(off('2026-08-29', '2026-09-02')).toBe(true); // Quốc khánh, 5 days
    expect(isWorkingDay('2026-08-22', cal)).toBe(true); // Saturday worked for Monday 31/8
    expect(isWorkingDay('2026-09-03', cal)).toBe(true);
  });
});

describe('addWorkingDays: the day of receipt is not counted, due at the end of office hours', () => {
  it.each([
    ['across Tết 2026', '2026-02-13 10:00', 5, '2026-02-27T17:00:00+07:00'],
    ['received on the eve of the Tết break', '2026-02-13 16:59', 1, '2026-02-23T17:00:00+07:00'],
    ['across a Sunday holiday and its compensatory Monday', '2026-04-23 09:00', 2, '2026-04-28T17:00:00+07:00'],
    ['a plain weekend', '2026-03-13 09:00', 1, '2026-03-16T17:00:00+07:00'],
    ['onto a swap Saturday', '2026-08-21 09:00', 1, '2026-08-22T17:00:00+07:00'],
    ['a swap Saturday counts as a working day', '2026-08-21 09:00', 3, '2026-08-25T17:00:00+07:00'],
    ['past the swapped Monday and Quốc khánh 2026', '2026-08-27 09:00', 3, '2026-09-04T17:00:00+07:00'],
    ['Tết Dương lịch 2026 with its swapped Friday', '2025-12-31 09:00', 1, '2026-01-05T17:00:00+07:00'],
    [
      'received after hours counts from the next working days all the same',
      '2026-03-13 18:30',
      1,
      '2026-03-16T17:00:00+07:00',
    ],
    ['received on a Sunday', '2026-03-15 10:00', 1, '2026-03-16T17:00:00+07:00'],
    [
      '30/4–1/5 2025 with the swap of Friday 2/5 onto Saturday 26/4',
      '2025-04-25 10:00',
      1,
      '2025-04-26T17:00:00+07:00',
    ],
    ['2025 swap, continued', '2025-04-29 10:00', 1, '2025-05-05T17:00:00+07:00'],
    ['Tết 2027 (statutory)', '2027-02-04 10:00', 1, '2027-02-12T17:00:00+07:00'],
    ['N = 0 on a day off: the end of the next working day', '2026-02-15 10:00', 0, '2026-02-23T17:00:00+07:00'],
  ])('%s', (_name, from, n, expected) => {
    expect(due(addWorkingDays(at(from), n, cal))).toBe(expected);
  });
});

describe('addCalendarDays (Civil Code art. 147-148)', () => {
  it('counts from the next day and moves a last day off to the next working day', () => {
    expect(due(addCalendarDays(at('2026-03-02 09:00'), 20, cal))).toBe('2026-03-23T17:00:00+07:00'); // Sunday 22 → Monday
    expect(due(addCalendarDays(at('2026-01-28 09:00'), 20, cal))).toBe('2026-02-23T17:00:00+07:00'); // 17/2 is Tết
    expect(due(addCalendarDays(at('2026-03-03 09:00'), 20, cal))).toBe('2026-03-23T17:00:00+07:00');
    expect(due(addCalendarDays(at('2026-03-04 23:59'), 20, cal))).toBe('2026-03-24T17:00:00+07:00');
  });
});

describe('working time', () => {
  it('counts office minutes and working days between two instants', () => {
    expect(workingTimeBetween(at('2026-03-16 08:00'), at('2026-03-16 14:00'), cal)).toEqual({ minutes: 240, days: 0 });
    // Friday 16:00 → Monday 08:00: one office hour on Friday, 30 minutes on Monday.
    expect(workingTimeBetween(at('2026-03-13 16:00'), at('2026-03-16 08:00'), cal)).toEqual({ minutes: 90, days: 1 });
    expect(workingTimeBetween(at('2026-02-13 17:00'), at('2026-02-23 07:30'), cal)).toEqual({ minutes: 0, days: 1 });
    expect(workingTimeBetween(at('2026-03-16 08:00'), at('2026-03-13 16:00'), cal).days).toBe(-1);
  });
  it('adds office minutes (75 % of a 5-working-day clock lands inside office hours)', () => {
    const start = at('2026-02-12 09:00');
    const end = addWorkingDays(start, 5, cal);
    const total = workingTimeBetween(start, end, cal).minutes;
    expect(total).toBe(5 * 450 + 450 - 90); // five full days plus the rest of the receipt day
    expect(formatVn(addWorkingMinutes(start, total * 0.75, cal))).toBe('2026-02-25T13:37:30+07:00');
    expect(addWorkingMinutes(at('2026-02-13 17:00'), 1, cal)).toEqual(at('2026-02-23 07:31'));
  });
  it('tells the days left, due today, or late', () => {
    const d = at('2026-02-27 17:00');
    expect(workingDaysLeft(at('2026-02-13 10:00'), d, cal)).toEqual({ state: 'left', workingDays: 5 });
    expect(workingDaysLeft(at('2026-02-27 08:00'), d, cal)).toEqual({ state: 'due_today', workingDays: 0 });
    expect(workingDaysLeft(at('2026-02-27 17:30'), d, cal)).toEqual({
      state: 'overdue',
      workingDays: 1,
      calendarDays: 1,
    });
    expect(workingDaysLeft(at('2026-03-03 09:00'), d, cal)).toEqual({
      state: 'overdue',
      workingDays: 2,
      calendarDays: 4,
    });
  });
  it('takes the calendar as a value: overrides make days holidays or working days', () => {
    const c = buildCalendar(readHolidayFile(), [
      { date: '2026-03-16', kind: 'holiday', note: 'nghỉ đột xuất (bão)' },
      { date: '2026-03-14', kind: 'workday' },
    ]);
    expect(due(addWorkingDays(at('2026-03-13 09:00'), 1, c))).toBe('2026-03-14T17:00:00+07:00');
    expect(due(addWorkingDays(at('2026-03-13 09:00'), 2, c))).toBe('2026-03-17T17:00:00+07:00');
  });
});
