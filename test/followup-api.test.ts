import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Database, Db } from '../src/db/client';
import { openSharedDatabase } from '../src/db/client';
import { conversations, digests, progressUpdates, tickets } from '../src/db/schema';
import { defaultCalendar } from '../src/sla/calendar-data';
import { reportCsv, reportMarkdown, slaReport } from '../src/sla/par-report';
import { meetClock } from '../src/sla/ticket-clocks';
import { openTestDb } from './support/harness';
import { useTestHotline } from './support/hotline';
import { loginAs, seedTicket, type seedUser } from './support/console-fixture';
import { at, newTicket } from './support/sla-fixture';

const ROOT = path.resolve(__dirname, '..');

/** Two answers in March 2026: one on time and rated 5, one late and rated 2. */
async function seedAnswers(db: Db) {
  const onTime = await newTicket(db, at('2026-03-02 10:00'), 'so-tai-chinh');
  const late = await newTicket(db, at('2026-03-02 09:00'), 'so-xay-dung');
  await meetClock(db, onTime.id, 'answer', at('2026-03-13 15:00'));
  await meetClock(db, late.id, 'answer', at('2026-03-30 10:00'));
  for (const [t, unit, rating] of [
    [onTime, 'so-tai-chinh', 5],
    [late, 'so-xay-dung', 2],
  ] as const)
    await db
      .update(tickets)
      .set({ unitCode: unit, rating, ratedAt: at('2026-03-31 08:00') })
      .where(eq(tickets.id, t.id));
}

describe('SLA report (PAR INDEX / SIPAS)', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDb('pglite');
  });
  afterAll(async () => database.close());

  it('gives on-time rate, working days to answer and satisfaction per unit and in total', async () => {
    await seedAnswers(database.db);
    const rep = await slaReport(database.db, { from: '2026-03-01', to: '2026-03-31' }, defaultCalendar());
    expect(
      rep.rows.map((r) => [r.unitCode, r.answered, r.onTime, r.onTimeRate, r.ratings, r.avgRating, r.satisfiedRate]),
    ).toEqual([
      ['so-tai-chinh', 1, 1, 1, 1, 5, 1],
      ['so-xay-dung', 1, 0, 0, 1, 2, 0],
    ]);
    expect(rep.rows[0]!.avgWorkingDaysToAnswer).toBe(9);
    expect(rep.total).toMatchObject({
      unitCode: 'Toàn tỉnh',
      answered: 2,
      onTime: 1,
      onTimeRate: 0.5,
      avgRating: 3.5,
      satisfiedRate: 0.5,
    });
    const md = reportMarkdown(rep);
    expect(md).toContain('| so-tai-chinh | 1 | 1 | 100 | 9 | 1 | 5 | 100 |');
    expect(md).toContain('- Tỷ lệ đúng hạn (%): PAR INDEX – tỷ lệ PAKN được xử lý đúng hạn');
    expect(md).toContain('- Điểm hài lòng TB (1–5): SIPAS');
    const csv = reportCsv(rep).split('\r\n');
    expect(csv[0]).toContain('"Tỷ lệ đúng hạn (%) [PAR INDEX – tỷ lệ PAKN được xử lý đúng hạn]"');
    const days = String(rep.total.avgWorkingDaysToAnswer).replace('.', ',');
    expect(csv[3]).toBe(`"Toàn tỉnh","2","1","50","${days}","2","3,5","50"`);
    // A period with nothing in it is an empty table with a zero total, not an error.
    expect(
      (await slaReport(database.db, { from: '2025-01-01', to: '2025-01-31' }, defaultCalendar())).total.answered,
    ).toBe(0);
  });

  it('npm run report:sla prints the table from the embedded database', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-report-'));
    try {
      const shared = await openSharedDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
      await seedAnswers(shared.db);
      await shared.close();
      const run = (args: string[]) =>
        new Promise<{ code: number; out: string }>((resolve) =>
          execFile(
            process.execPath,
            ['--import', 'tsx', path.join(ROOT, 'scripts/report-sla.ts'), ...args],
            { cwd: ROOT, env: { PATH: process.env.PATH, HOME: os.tmpdir(), DATA_DIR: dataDir } },
            (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
          ),
        );
      const md = await run(['--from', '2026-01-01', '--to', '2026-06-30']);
      expect(md.code).toBe(0);
      expect(md.out).toContain('## Kết quả xử lý phản ánh, kiến nghị qua Tổng đài từ 01/01/2026 đến 30/06/2026');
      expect(md.out).toContain('| so-xay-dung | 1 | 0 | 0 |');
      const csv = await run([
        '--from',
        '2026-01-01',
        '--to',
        '2026-06-30',
        '--format',
        'csv',
        '--unit',
        'so-tai-chinh',
      ]);
      expect(csv.out.split('\r\n')[1]).toMatch(/^"so-tai-chinh","1","1","100"/);
      const bad = await run(['--from', '2026-07-01', '--to', '2026-06-30']);
      expect(bad.code).toBe(2);
      expect(bad.out).toContain('--from: from must not be after to');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    // Each run starts tsx and opens the embedded database.
  }, 120_000);
});

describe('follow-up console API: call list, digests, reports', () => {
  const { h, db } = useTestHotline('pglite');
  const as = (role: Parameters<typeof seedUser>[1], unit?: string) => loginAs(db(), h().url, role, unit);

  it('lists citizens to phone for operators, with the number; a made call leaves the list', async () => {
    const t = await seedTicket(db(), { unit: 'so-xay-dung', content: 'Đường hư' });
    await db()
      .update(conversations)
      .set({ contactPhone: '0912345678', contactName: 'Nguyễn Văn An' })
      .where(eq(conversations.id, t.conversationId));
    const [row] = await db()
      .insert(progressUpdates)
      .values({
        ticketId: t.id,
        kind: 'progress',
        seq: 1,
        channel: 'call',
        status: 'to_call',
        errorCode: 'no_phone',
        dueAt: new Date(),
      })
      .returning();
    const op = await as('operator');
    const list = (await (await op.get('/api/followup/calls')).json()) as { items: Array<Record<string, unknown>> };
    expect(list.items).toEqual([
      expect.objectContaining({
        id: row!.id,
        trackingCode: t.trackingCode,
        phone: '0912345678',
        what: 'Báo tiến độ',
        why: 'Người gửi chưa để lại số điện thoại',
      }),
    ]);
    expect((await (await as('unit_officer', 'so-xay-dung')).get('/api/followup/calls')).status).toBe(403);
    expect((await op.post(`/api/followup/calls/${row!.id}/done`, {})).status).toBe(200);
    expect(((await (await op.get('/api/followup/calls')).json()) as { items: unknown[] }).items).toEqual([]);
    expect((await op.post(`/api/followup/calls/${row!.id}/done`, {})).status).toBe(404);
  });

  it('shows digests: a unit its own only, inspectors all', async () => {
    const d = (kind: string, unitCode: string) => ({
      kind,
      unitCode,
      periodKey: '2026-03-30',
      subject: `s ${unitCode}`,
      body: 'b',
      status: 'skipped',
    });
    await db()
      .insert(digests)
      .values([
        d('unit_daily', 'so-xay-dung'),
        d('unit_daily', 'so-tu-phap'),
        d('inspection_weekly', 'kiem-tra-cong-vu'),
      ]);
    const unit = await as('unit_officer', 'so-xay-dung');
    const mine = (await (await unit.get('/api/digests')).json()) as { items: Array<{ unitCode: string }> };
    expect(mine.items.map((i) => i.unitCode)).toEqual(['so-xay-dung']);
    const insp = (await (await (await as('inspector')).get('/api/digests')).json()) as { items: unknown[] };
    expect(insp.items).toHaveLength(3);
  });

  it('answers the SLA report as JSON and CSV; a unit sees its own row only', async () => {
    await seedAnswers(db());
    const insp = await as('inspector');
    const json = (await (await insp.get('/api/reports/sla?from=2026-03-01&to=2026-03-31')).json()) as {
      rows: Array<{ unitCode: string }>;
    };
    expect(json.rows.map((r) => r.unitCode)).toEqual(['so-tai-chinh', 'so-xay-dung']);
    const csv = await insp.get('/api/reports/sla?from=2026-03-01&to=2026-03-31&format=csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain('PAR INDEX');
    const unit = await as('unit_head', 'so-xay-dung');
    const own = (await (await unit.get('/api/reports/sla?from=2026-03-01&to=2026-03-31')).json()) as {
      rows: Array<{ unitCode: string }>;
    };
    expect(own.rows.map((r) => r.unitCode)).toEqual(['so-xay-dung']);
    expect((await unit.get('/api/reports/sla?from=2026-03-01&to=2026-03-31&unit=so-tai-chinh')).status).toBe(404);
    expect((await insp.get('/api/reports/sla?from=2026-03-31&to=2026-03-01')).status).toBe(400);
  });
});
