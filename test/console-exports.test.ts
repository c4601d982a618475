import { eq, sql } from 'drizzle-orm';
import { cellText, decimal } from '../src/console/cells';
import { toXlsx } from '../src/console/xlsx';
import { tickets } from '../src/db/schema';
import { useTestHotline } from './support/hotline';
import { loginAs, seedTicket, type seedUser } from './support/console-fixture';
import { unzip } from './support/unzip';

const SCRIPT = '<script>alert(1)</script>';
const FORMULA = "=cmd|' /C calc'!A0";

describe('console exports, canned answers and queue health', () => {
  const { h, db } = useTestHotline('pglite');
  const as = (role: Parameters<typeof seedUser>[1], unit?: string) => loginAs(db(), h().url, role, unit);
  const sheetOf = async (res: Response, n = 1) => {
    expect(res.status).toBe(200);
    const files = unzip(Buffer.from(await res.arrayBuffer()));
    expect(files.get('[Content_Types].xml')).toContain('spreadsheetml');
    return files.get(`xl/worksheets/sheet${n}.xml`)!;
  };

  it('exports citizen text inert in CSV and XLSX, phones masked for inspectors', async () => {
    const s = await seedTicket(db(), { unit: 'so-xd', content: `${SCRIPT} gọi 0912345678` });
    const f = await seedTicket(db(), { unit: 'so-xd', content: FORMULA });
    const op = await as('operator');
    const csv = await (await op.get('/api/tickets.csv?unit=so-xd')).text();
    expect(csv).toContain(`"'${FORMULA}"`);
    expect(csv).toContain(`"${SCRIPT} gọi 0912345678"`);

    const res = await op.get('/api/tickets.xlsx?unit=so-xd');
    expect(res.headers.get('content-type')).toContain('spreadsheetml.sheet');
    const xml = await sheetOf(res);
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt; gọi 0912345678');
    expect(xml).not.toContain('<f>');
    // The formula-like text is a quote-prefixed inline string, as typed.
    expect(xml).toMatch(/t="inlineStr" s="2"><is><t xml:space="preserve">=cmd\|' \/C calc'!A0<\/t>/);
    expect(xml).toContain(s.trackingCode);
    expect(xml).toContain(f.trackingCode);

    const inspector = await as('inspector');
    const masked = await sheetOf(await inspector.get('/api/tickets.xlsx?unit=so-xd'));
    expect(masked).toContain('091*****78');
    expect(masked).not.toContain('0912345678');
  });

  it('writes times in Vietnam time, unit names beside codes and decimals with a comma (numbers stay numbers in XLSX)', async () => {
    const t = await seedTicket(db(), {
      unit: 'so-tu-phap',
      content: 'Hồ sơ hộ tịch chậm',
      receivedAt: new Date('2026-02-23T10:00:00Z'),
      dueAt: new Date('2026-03-20T10:00:00Z'),
    });
    await db().update(tickets).set({ rating: 4, ratedAt: new Date() }).where(eq(tickets.id, t.id));
    const op = await as('operator');
    const csv = await (await op.get('/api/tickets.csv?unit=so-tu-phap')).text();
    const line = csv.split('\r\n').find((l) => l.includes(t.trackingCode))!;
    expect(line).toContain('"Sở Tư pháp","so-tu-phap"');
    expect(line).toContain('"Đất đai"');
    expect(line).toContain('"23/02/2026 17:00","20/03/2026 17:00"');
    expect(csv).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
    const xml = await sheetOf(await op.get('/api/tickets.xlsx?unit=so-tu-phap'));
    // The received time is a date cell (style 3: dd/mm/yyyy hh:mm), its serial read in Vietnam time.
    expect(xml).toMatch(/<c r="I2" s="3"><v>46076\.7083/);

    const inspector = await as('inspector');
    const period = 'from=2020-01-01&to=2030-12-31';
    const sat = await (await inspector.get(`/api/dashboard.csv?${period}&section=satisfaction`)).text();
    expect(sat).toContain('"Sở Tư pháp","so-tu-phap","1","4,00"');
    const book = unzip(Buffer.from(await (await inspector.get(`/api/dashboard.xlsx?${period}`)).arrayBuffer()));
    expect(book.get('xl/worksheets/sheet4.xml')).toMatch(/<c r="D2" s="5"><v>4<\/v><\/c>/);
    expect(book.get('xl/styles.xml')).toContain('formatCode="dd/mm/yyyy hh:mm"');
    expect(cellText(decimal(0.5, 1))).toBe('0,5');
    expect(cellText(new Date('2026-12-31T17:30:00Z'))).toBe('01/01/2027 00:30');
  });

  it('writes XML-safe cells: control characters dropped, numbers as numbers', () => {
    const files = unzip(toXlsx([{ name: 'a/b', header: ['x', 'y'], rows: [['a\u0001b & c', 42]] }]));
    expect(files.get('xl/worksheets/sheet1.xml')).toContain('ab &amp; c</t></is></c><c r="B2"><v>42</v></c>');
    expect(files.get('xl/workbook.xml')).toContain('name="a-b"');
  });

  it('exports the dashboard to inspectors and admins only, XLSX with a sheet per section', async () => {
    await seedTicket(db(), { unit: 'so-xd', content: FORMULA, conduct: true });
    const inspector = await as('inspector');
    const period = 'from=2020-01-01&to=2030-12-31';
    const xml = await sheetOf(await inspector.get(`/api/dashboard.xlsx?${period}`), 3);
    expect(xml).toContain('Mã phản ánh');
    const csv = await inspector.get(`/api/dashboard.csv?${period}&section=onTime`);
    expect(await csv.text()).toContain('"so-xd"');
    const op = await as('operator');
    expect((await op.get(`/api/dashboard.xlsx?${period}`)).status).toBe(403);
  });

  it('lets operators and admins keep canned answers; others get 403', async () => {
    const op = await as('operator');
    const body = { title: 'Hẹn trả lời', body: 'Chúng tôi đã chuyển phản ánh của Ông/Bà đến đơn vị.' };
    const created = await op.post('/api/canned-answers', { ...body, category: 'dat_dai' });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: number };
    expect((await op.post('/api/canned-answers', body)).status).toBe(409);
    expect((await op.post('/api/canned-answers', { ...body, category: 'khong-co' })).status).toBe(400);
    const admin = await as('admin');
    const updated = await admin.post(`/api/canned-answers/${id}`, { ...body, body: 'Nội dung mới' });
    expect(await updated.json()).toMatchObject({ id, body: 'Nội dung mới', category: null });
    const list = (await (await op.get('/api/canned-answers')).json()) as { items: Array<{ id: number }> };
    expect(list.items.map((i) => i.id)).toEqual([id]);
    expect((await op.post(`/api/canned-answers/${id}`, body, false)).status).toBe(403);
    for (const c of [await as('unit_officer', 'so-y-te'), await as('inspector')]) {
      expect((await c.get('/api/canned-answers')).status).toBe(403);
      expect((await c.post('/api/canned-answers', { ...body, title: 'khác' })).status).toBe(403);
    }
    expect((await op.post(`/api/canned-answers/${id}/delete`, {})).status).toBe(200);
    expect((await op.post(`/api/canned-answers/${id}/delete`, {})).status).toBe(404);

    // Who did what to which canned answer, and when: admins read it; the trail cannot be edited.
    expect((await op.get('/api/admin/canned-answers/history')).status).toBe(403);
    const history = (await (await admin.get('/api/admin/canned-answers/history')).json()) as {
      items: Array<{ type: string; actor: string; at: string; data: Record<string, unknown> }>;
    };
    expect(history.items.map((e) => e.type)).toEqual([
      'canned_answer_deleted',
      'canned_answer_updated',
      'canned_answer_created',
    ]);
    const [deleted, changed, added] = history.items;
    expect(added!.data).toMatchObject({ title: 'Hẹn trả lời', category: 'dat_dai', by: { role: 'operator' } });
    expect(changed!.data).toMatchObject({ body: 'Nội dung mới', previous: { body: body.body }, by: { role: 'admin' } });
    expect(deleted!.actor).toMatch(/^user:\d+:operator-/);
    expect(Number.isNaN(Date.parse(deleted!.at))).toBe(false);
    const refused = await db()
      .execute(sql`update staff_audit set actor = 'x'`)
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(String((refused?.cause as Error | undefined)?.message ?? refused)).toMatch(/append-only/);
  });

  it('shows queue health to admins only and retries failed jobs', async () => {
    for (const c of [await as('operator'), await as('inspector'), await as('unit_head', 'so-y-te')])
      expect((await c.get('/api/admin/queues')).status).toBe(403);
    const admin = await as('admin');
    const q = h().hotline.queues.maintenance;
    // A payload the worker refuses: it fails for good on the first attempt.
    await q.add('bad', { task: 'nope' } as never, { jobId: 'bad-payload' });
    for (let i = 0; i < 200 && !(await q.getJobCountByTypes('failed')); i++)
      await new Promise((r) => setTimeout(r, 50));
    const health = (await (await admin.get('/api/admin/queues')).json()) as {
      queues: Array<{ name: string; counts: Record<string, number> }>;
    };
    expect(health.queues.map((x) => x.name)).toEqual(
      expect.arrayContaining(['inbound', 'outbound', 'maintenance', 'sla', 'dialogue', 'attachments']),
    );
    expect(health.queues.find((x) => x.name === 'maintenance')!.counts.failed).toBe(1);
    const failed = (await (await admin.get('/api/admin/queues/maintenance/failed')).json()) as {
      items: Array<{ id: string; failedReason: string }>;
    };
    expect(failed.items).toEqual([expect.objectContaining({ id: 'bad-payload' })]);
    expect(JSON.stringify(failed)).not.toContain('nope');
    expect(await (await admin.post('/api/admin/queues/maintenance/retry-failed', {})).json()).toEqual({ retried: 1 });
    expect((await admin.post('/api/admin/queues/nope/retry-failed', {})).status).toBe(400);
    expect((await admin.post('/api/admin/queues/maintenance/jobs/missing/retry', {})).status).toBe(404);
  });
});
