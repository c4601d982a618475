import type { Database } from '../src/db/client';
import { defaultCalendar } from '../src/sla/calendar-data';
import type { SlaContext } from '../src/sla/deadlines';
import { buildInspectionSummary, buildUnitDigest } from '../src/sla/digests';
import { loadSlaPolicy } from '../src/sla/policy';
import { answerPerformance, latenessByUnit, openItems } from '../src/sla/reports';
import { meetClock, transferTicket } from '../src/sla/ticket-clocks';
import { dbKinds, openTestDb, resetDb } from './support/harness';
import { at, newTicket } from './support/sla-fixture';

const cal = defaultCalendar();
const ctx: SlaContext = { policy: loadSlaPolicy('can-tho'), cal };

/** The inspector's view: per unit, what is late and by how much; the period's on-time rate. */
describe.each(dbKinds())('deadline reports and digests (%s)', (kind) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDb(kind);
  });
  afterAll(async () => database.close());
  beforeEach(async () => resetDb(database));

  it('lists lateness per unit and answer performance, and builds the digests', async () => {
    const db = database.db;
    const late = await newTicket(db, at('2026-03-02 09:00'), 'so-xay-dung'); // answer due 23/3
    const onTime = await newTicket(db, at('2026-03-02 10:00'), 'so-tai-chinh');
    const moved = await newTicket(db, at('2026-03-02 11:00'), 'so-xay-dung');
    await transferTicket(
      db,
      { ticketId: moved.id, toUnit: 'ubnd-phuong-ninh-kieu', at: at('2026-03-06 10:00'), actor: 't' },
      ctx,
    );
    for (const t of [late, onTime, moved]) await meetClock(db, t.id, 'first_response', at('2026-03-02 11:00'));
    await meetClock(db, onTime.id, 'forward', at('2026-03-03 09:00'));
    await meetClock(db, onTime.id, 'answer', at('2026-03-13 15:00'));
    await meetClock(db, late.id, 'forward', at('2026-03-03 09:00'));

    const now = at('2026-03-30 09:00');
    const items = await openItems(db, now, cal);
    expect(items.map((i) => [i.trackingCode, i.unitCode, i.clock, i.label])).toEqual([
      [late.trackingCode, 'so-xay-dung', 'answer', 'quá hạn 7 ngày'],
      [moved.trackingCode, 'ubnd-phuong-ninh-kieu', 'answer', 'quá hạn 4 ngày'],
    ]);
    const lateness = latenessByUnit(items);
    expect(lateness[0]).toEqual({ unitCode: 'so-xay-dung', open: 1, overdue: 1, maxOverdueDays: 7, dueWithin2Days: 0 });

    const perf = await answerPerformance(db, at('2026-03-01 00:00'), at('2026-04-01 00:00'), cal);
    expect(perf).toEqual([
      { unitCode: 'so-tai-chinh', answered: 1, onTime: 1, onTimeRate: 1, avgWorkingDaysToAnswer: 9 },
    ]);

    const digest = buildUnitDigest('Sở Xây dựng', await openItems(db, now, cal, 'so-xay-dung'), now);
    expect(digest.subject).toBe('[Tổng đài CCHC] Hạn xử lý phản ánh của Sở Xây dựng ngày 30/03/2026');
    expect(digest.text).toContain(`- ${late.trackingCode}: Trả lời người gửi — quá hạn 7 ngày`);
    const summary = buildInspectionSummary(lateness, perf, at('2026-03-23 00:00'), now);
    expect(summary.text.split('\n')).toContain('so-tai-chinh | 0 | 0 | 0 | 1 | 100 | 9');
    expect(summary.text.split('\n')).toContain('so-xay-dung | 1 | 1 | 7 | 0 | – | –');
  });
});
