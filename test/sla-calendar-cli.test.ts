import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * The batch CLI against the official 2026 announcements (9441/TB-BNV of 16/10/2025: Tết 14–22/2,
 * Quốc khánh 29/8–2/9 with Monday 31/8 worked on Saturday 22/8; 12729/VPCP-KGVX of 25/12/2025:
 * 1–4/1 with Friday 2/1 worked on Saturday 10/1; Labour Code art. 111-112: Giỗ Tổ on Sunday 26/4
 * compensated on Monday 27/4, 30/4–1/5). Expected dates are written by hand from those documents.
 */
const CASES: Array<[string, number | null, number | null, string]> = [
  ['2025-12-31T10:00:00+07:00', 1, null, '2026-01-05'],
  ['2026-01-09T10:00:00+07:00', 1, null, '2026-01-10'],
  ['2026-02-13T10:00:00+07:00', 1, null, '2026-02-23'],
  ['2026-02-13T10:00:00+07:00', 5, null, '2026-02-27'],
  ['2026-04-24T10:00:00+07:00', 1, null, '2026-04-28'],
  ['2026-04-29T10:00:00+07:00', 1, null, '2026-05-04'],
  ['2026-08-21T10:00:00+07:00', 1, null, '2026-08-22'],
  ['2026-08-28T10:00:00+07:00', 1, null, '2026-09-03'],
  ['2026-01-28T10:00:00+07:00', null, 20, '2026-02-23'],
  ['2026-08-13T10:00:00+07:00', null, 20, '2026-09-03'],
  ['2026-04-07T10:00:00+07:00', null, 20, '2026-04-28'],
  ['2026-03-02T10:00:00+07:00', null, 20, '2026-03-23'],
];

function run(input: string): { stdout: string; status: number | null } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../scripts/calendar.ts')], {
    input,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
  });
  return { stdout: r.stdout, status: r.status };
}

describe('npm run calendar (batch CLI contract)', () => {
  it('answers a list of 2026 dates in one run, in order, matching the official announcements', () => {
    const lines = CASES.map(([from, workingDays, days], i) =>
      JSON.stringify(workingDays !== null ? { id: `c${i}`, from, workingDays } : { id: `c${i}`, from, days }),
    );
    lines.splice(3, 0, '{not json', JSON.stringify({ id: 'bad', from: 'yesterday', days: 1 }));
    const { stdout, status } = run(lines.join('\n') + '\n');
    expect(status).toBe(0);
    const out = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(lines.length);
    expect(out[3]).toEqual({ line: 4, error: { code: 'BAD_JSON', message: expect.any(String) } });
    expect(out[4]).toMatchObject({ id: 'bad', error: { code: 'BAD_TIME' } });
    const answers = out.filter((o) => !('error' in o));
    expect(answers.map((o) => [o.id, o.dueDate])).toEqual(CASES.map((c, i) => [`c${i}`, c[3]]));
    for (const a of answers) expect(a.due).toBe(`${String(a.dueDate)}T17:00:00+07:00`);
  });

  it('refuses dates beyond the holiday data rather than guessing', () => {
    const { stdout } = run(JSON.stringify({ id: 9, from: '2027-12-30', workingDays: 5 }) + '\n');
    expect(JSON.parse(stdout)).toMatchObject({ id: 9, error: { code: 'OUTSIDE_CALENDAR' } });
  });
});
