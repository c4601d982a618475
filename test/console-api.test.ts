import { eq } from 'drizzle-orm';
import type { Database } from '../src/db/client';
import { conversations, inboundEvents, outboundMessages, ticketEvents } from '../src/db/schema';
import { createTicket } from '../src/tickets/create-ticket';
import { slaContext } from '../src/sla/deadlines';
import { daysLateWhenMet } from '../src/sla/display';
import { openTestDb } from './support/harness';
import { startTestHotline, type TestHotline } from './support/hotline';
import { ApiClient, seedTicket, seedUser } from './support/console-fixture';

describe('console API: sessions, CSRF, roles and scope', () => {
  let database: Database;
  let h: TestHotline;
  const db = () => database.db;
  beforeAll(async () => {
    database = await openTestDb('pglite');
    h = await startTestHotline(database, { env: { LOGIN_MAX_FAILURES_PER_EMAIL: '3' } });
  });
  afterAll(async () => {
    await h.stop();
    await database.close();
  });

  async function as(role: Parameters<typeof seedUser>[1], unit?: string) {
    const u = await seedUser(db(), role, unit);
    const c = new ApiClient(h.url);
    const res = await c.login(u.email);
    expect(res.status).toBe(200);
    return c;
  }

  it('logs in each role with a HttpOnly, SameSite=Lax cookie; /api/me says who', async () => {
    for (const [role, unit] of [
      ['admin'],
      ['operator'],
      ['unit_officer', 'so-tu-phap'],
      ['unit_head', 'so-tu-phap'],
      ['inspector'],
    ] as const) {
      const u = await seedUser(db(), role, unit);
      const c = new ApiClient(h.url);
      const res = await c.login(u.email.toUpperCase());
      expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
      const me = (await (await c.get('/api/me')).json()) as { role: string; unitCode: string | null };
      expect(me).toMatchObject({ role, unitCode: unit ?? null });
    }
    expect((await fetch(`${h.url}/api/me`)).status).toBe(401);
  });

  it('throttles wrong passwords per e-mail: 429 with Retry-After, even for the right one', async () => {
    const u = await seedUser(db(), 'operator');
    const c = new ApiClient(h.url);
    for (let i = 0; i < 3; i++) expect((await c.login(u.email, 'sai mật khẩu')).status).toBe(401);
    const blocked = await c.login(u.email);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('a session ends at logout', async () => {
    const c = await as('operator');
    expect((await c.get('/api/me')).status).toBe(200);
    expect((await c.post('/api/auth/logout', {})).status).toBe(200);
    expect((await c.get('/api/me')).status).toBe(401);
  });

  it('refuses non-GET requests without the CSRF token, JSON or form', async () => {
    const t = await seedTicket(db(), {
      unit: 'tong-dai',
      content: 'Hỏi thủ tục',
      status: 'moi_tiep_nhan',
      mode: 'triage',
    });
    const c = await as('operator');
    const path = `/api/tickets/${t.trackingCode}/ineligible`;
    const noToken = await c.post(path, { reason: 'Thiếu thông tin' }, false);
    expect(noToken.status).toBe(403);
    expect(((await noToken.json()) as { error: { code: string } }).error.code).toBe('CSRF_FAILED');
    const form = await fetch(`${h.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: c.cookie },
      body: 'reason=Thi%E1%BA%BFu',
    });
    expect(form.status).toBe(403);
    expect((await fetch(`${h.url}/console/anything`, { method: 'POST', headers: { cookie: c.cookie } })).status).toBe(
      403,
    );
    const ok = await c.post(path, { reason: 'Thiếu thông tin người gửi' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'khong_du_dieu_kien' });
  });

  it("a unit officer gets 404 for another unit's ticket, by URL and by filter", async () => {
    const mine = await seedTicket(db(), { unit: 'so-tu-phap', content: 'Khai sinh chậm' });
    const theirs = await seedTicket(db(), { unit: 'so-xay-dung', content: 'Giấy phép xây dựng' });
    const c = await as('unit_officer', 'so-tu-phap');
    expect((await c.get(`/api/tickets/${mine.trackingCode}`)).status).toBe(200);
    expect((await c.get(`/api/tickets/${theirs.trackingCode}`)).status).toBe(404);
    expect((await c.post(`/api/tickets/${theirs.trackingCode}/accept`, {})).status).toBe(404);
    expect((await c.get('/api/tickets?unit=so-xay-dung')).status).toBe(404);
    const list = (await (await c.get('/api/tickets?limit=200')).json()) as { items: Array<{ unitCode: string }> };
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.every((i) => i.unitCode === 'so-tu-phap')).toBe(true);
    expect((await c.get('/api/triage')).status).toBe(403);
  });

  it('triage → route → unit accepts and answers; the citizen message goes to the outbox; all audited', async () => {
    const t = await seedTicket(db(), {
      unit: 'tong-dai',
      content: 'Không rõ lĩnh vực',
      status: 'moi_tiep_nhan',
      mode: 'triage',
    });
    const op = await as('operator');
    const inbox = (await (await op.get('/api/triage?limit=200')).json()) as {
      items: Array<{ trackingCode: string; routing: { mode: string; rule: { id: string } } }>;
    };
    const item = inbox.items.find((i) => i.trackingCode === t.trackingCode);
    expect(item?.routing).toMatchObject({ mode: 'triage', rule: { id: 'dat-dai-chung' } });
    expect((await op.post(`/api/tickets/${t.trackingCode}/route`, { unit: 'so-khong-co', reason: 'thử' })).status).toBe(
      400,
    );
    const routed = await op.post(`/api/tickets/${t.trackingCode}/route`, { unit: 'so-tu-phap', reason: 'Hộ tịch' });
    expect(await routed.json()).toMatchObject({ status: 'da_chuyen_don_vi', unitCode: 'so-tu-phap' });
    const unit = await as('unit_officer', 'so-tu-phap');
    expect((await unit.post(`/api/tickets/${t.trackingCode}/accept`, {})).status).toBe(200);
    const answered = await unit.post(`/api/tickets/${t.trackingCode}/answer`, {
      publicAnswer: 'Đã giải quyết; liên hệ 0901234567 nếu cần.',
      internalNote: 'Gọi điện cho người dân',
    });
    expect(await answered.json()).toMatchObject({ status: 'da_co_ket_qua' });
    const outs = await db().select().from(outboundMessages).where(eq(outboundMessages.ticketId, t.id));
    // Through the dialogue's notify path: the status change, the answer and the rating question.
    expect(outs.map((o) => o.dedupeKey.split(':')[2]).sort()).toEqual(['answered', 'answered', 'status_changed']);
    const detail = (await (await op.get(`/api/tickets/${t.trackingCode}`)).json()) as {
      ticket: { publicAnswer: string };
      events: Array<{ type: string; actor: string }>;
    };
    expect(detail.ticket.publicAnswer).toContain('090*****67');
    expect(detail.events.map((e) => e.type)).toEqual(expect.arrayContaining(['routed', 'accepted', 'answered']));
    const inspector = await as('inspector');
    expect(
      (await inspector.post(`/api/tickets/${t.trackingCode}/route`, { unit: 'so-y-te', reason: 'thử' })).status,
    ).toBe(403);
    const views = await db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id));
    expect(views.some((v) => v.type === 'viewed')).toBe(true);
    expect(views.filter((v) => v.type === 'viewed').every((v) => v.actor.startsWith('user:'))).toBe(true);
  });

  it('returns HTML in citizen text as data, and CSV export neutralises formulas', async () => {
    const html = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const t = await seedTicket(db(), { unit: 'so-y-te', content: html });
    const f = await seedTicket(db(), { unit: 'so-y-te', content: '=HYPERLINK("http://evil","bấm")' });
    const op = await as('operator');
    const detail = (await (await op.get(`/api/tickets/${t.trackingCode}`)).json()) as { ticket: { content: string } };
    expect(detail.ticket.content).toBe(html);
    const res = await op.get('/api/tickets.csv?unit=so-y-te');
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const csv = await res.text();
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""bấm"")"`);
    expect(csv).toContain(f.trackingCode);
  });

  it('inspectors see masked personal data and the dashboard; admins see dead letters', async () => {
    const t = await seedTicket(db(), { unit: 'so-y-te', content: 'Gọi tôi 0912345678', conduct: true });
    const inspector = await as('inspector');
    const d = (await (await inspector.get(`/api/tickets/${t.trackingCode}`)).json()) as {
      ticket: { content: string; zaloUserId: string | null };
    };
    expect(d.ticket).toMatchObject({ content: 'Gọi tôi 091*****78', zaloUserId: null });
    const dash = await inspector.get('/api/dashboard?from=2020-01-01&to=2030-12-31');
    expect(dash.status).toBe(200);
    const body = (await dash.json()) as { conductReports: Array<{ trackingCode: string }>; onTime: unknown[] };
    expect(body.conductReports.map((r) => r.trackingCode)).toContain(t.trackingCode);
    // Per unit, how late and by how much: two open tickets of so-xay-dung past their deadline.
    const day = 24 * 3600 * 1000;
    for (const daysLate of [2.5, 6.5])
      await seedTicket(db(), {
        unit: 'so-xay-dung',
        content: 'Cấp phép xây dựng trễ hẹn',
        status: 'dang_xu_ly',
        dueAt: new Date(Date.now() - daysLate * day),
      });
    const late = (await (await inspector.get('/api/dashboard?from=2020-01-01&to=2030-12-31')).json()) as {
      dueSoonAndOverdue: Array<{ unit: string; overdue: number; maxDaysLate: number; avgDaysLate: number }>;
    };
    expect(late.dueSoonAndOverdue.find((r) => r.unit === 'so-xay-dung')).toMatchObject({
      overdue: 2,
      maxDaysLate: 6,
      avgDaysLate: 4.5,
    });
    expect((await inspector.get('/api/admin/dead-letters')).status).toBe(403);
    const admin = await as('admin');
    expect((await admin.get('/api/admin/dead-letters')).status).toBe(200);
    expect((await inspector.get('/api/admin/users')).status).toBe(403);
    const list = (await (await admin.get('/api/admin/users')).json()) as { items: Array<Record<string, unknown>> };
    expect(list.items.length).toBeGreaterThan(1);
    expect(list.items[0]).toMatchObject({ email: expect.any(String), role: expect.any(String), totp: false });
    expect(JSON.stringify(list)).not.toMatch(/passwordHash|argon2|totpSecret/);
  });

  it('documents every endpoint at /api/openapi.json', async () => {
    const doc = (await (await fetch(`${h.url}/api/openapi.json`)).json()) as { paths: Record<string, object> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/tickets',
        '/api/tickets/{code}',
        '/api/triage',
        '/api/dashboard',
      ]),
    );
  });

  it('operators take a conversation over and hand it back; the citizen is told; units may not', async () => {
    const t = await seedTicket(db(), { unit: 'tong-dai', content: 'Cần người trả lời', status: 'moi_tiep_nhan' });
    const op = await as('operator');
    const unit = await as('unit_officer', 'tong-dai');
    expect((await unit.post(`/api/tickets/${t.trackingCode}/takeover`, {})).status).toBe(403);
    expect((await op.post(`/api/tickets/${t.trackingCode}/takeover`, {}, false)).status).toBe(403);
    expect((await op.post(`/api/tickets/PA-2026-999999999/takeover`, {})).status).toBe(404);
    const stateOf = async () =>
      (await db().select().from(conversations).where(eq(conversations.id, t.conversationId)))[0]!.state;
    expect((await op.post(`/api/tickets/${t.trackingCode}/takeover`, {})).status).toBe(200);
    expect(await stateOf()).toBe('handoff');
    const back = (await (await op.post(`/api/tickets/${t.trackingCode}/hand-back`, {})).json()) as {
      outboxIds: number[];
    };
    expect(back.outboxIds).toHaveLength(1);
    expect(await stateOf()).toBe('idle');
    const events = await db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['taken_over', 'handed_back']));
  });

  it('an auto-routed ticket is already at its unit: forwarding met, labelled so; once answered, on time or late', async () => {
    const [c] = await db().insert(conversations).values({ zaloUserId: 'auto-routed-1' }).returning();
    const [e] = await db()
      .insert(inboundEvents)
      .values({
        dedupeKey: 'auto-routed-1',
        eventName: 'user_send_text',
        raw: '{}',
        zaloUserId: 'auto-routed-1',
        receivedAt: new Date(),
      })
      .returning();
    const confidence = { category: 0.9, kind: 0.9, conduct: 0.02, emergency: 0.01 };
    const classification = {
      category: 'tu_phap',
      kind: 'phan_anh',
      conduct: false,
      emergency: false,
      confidence,
    } as const;
    const t = await db().transaction((tx) =>
      createTicket(tx, {
        conversationId: c!.id,
        zaloUserId: 'auto-routed-1',
        sourceEventId: e!.id,
        content: 'Làm khai sinh chậm',
        receivedAt: new Date(),
        understanding: {
          classification,
          routingVersion: 1,
          decision: {
            mode: 'auto',
            unit: 'so-tu-phap',
            copyTo: [],
            rule: null,
            needsCommune: false,
            scores: confidence,
            reason: 'test',
          },
        },
      }),
    );
    const op = await as('operator');
    type Detail = {
      ticket: { statusLabel: string; deadline: { kind: string; text: string } };
      clocks: Array<{ kind: string; status: string; daysLate: number | null }>;
    };
    const detail = (await (await op.get(`/api/tickets/${t.trackingCode}`)).json()) as Detail;
    expect(detail.ticket.statusLabel).toBe('Đã tự động chuyển đơn vị xử lý');
    expect(detail.clocks.find((k) => k.kind === 'forward')).toMatchObject({ status: 'met', daysLate: 0 });
    expect(detail.ticket.deadline).toMatchObject({ kind: 'answer', text: expect.stringMatching(/^còn \d+ ngày/) });
    // The console offers no forward to the same unit; the server would refuse it.
    expect(
      (await op.post(`/api/tickets/${t.trackingCode}/route`, { unit: 'so-tu-phap', reason: 'thử lại' })).status,
    ).toBe(409);
    const unit = await as('unit_officer', 'so-tu-phap');
    const answer = await unit.post(`/api/tickets/${t.trackingCode}/answer`, { publicAnswer: 'Đã giải quyết xong.' });
    expect(answer.status).toBe(200);
    const done = (await (await op.get(`/api/tickets/${t.trackingCode}`)).json()) as Detail & {
      ticket: { answeredAt: string | null; deadline: { daysLate: number | null } };
    };
    expect(done.ticket.answeredAt).not.toBeNull();
    expect(done.ticket.deadline).toMatchObject({ kind: 'answer', daysLate: 0 });
    const late = {
      status: 'met',
      dueAt: new Date('2026-03-02T10:00:00Z'),
      metAt: new Date('2026-03-05T03:00:00Z'),
      basis: { count: 'calendar', days: 20 },
    };
    expect(daysLateWhenMet(late, slaContext().cal)).toBe(3);
    expect(daysLateWhenMet({ ...late, metAt: late.dueAt }, slaContext().cal)).toBe(0);
    expect(daysLateWhenMet({ ...late, status: 'running' }, slaContext().cal)).toBeNull();
  });

  it('serves the console pages with a CSP that forbids inline scripts and styles', async () => {
    for (const path of [
      '/console',
      '/console/tickets',
      '/console/login',
      '/console/triage',
      '/console/tickets/PA-2026-000001',
    ]) {
      const res = await fetch(`${h.url}${path}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).not.toMatch(/unsafe-inline/);
      const html = await res.text();
      expect(html).not.toMatch(/<script>|<style|style=/);
    }
    const taxonomy = await fetch(`${h.url}/console/assets/taxonomy.js`);
    const labels = await taxonomy.text();
    expect(labels).toContain('Đất đai');
    expect(labels).toContain('EVENT_LABELS');
    expect(labels).toContain('"classified":"Bộ phân loại tự động xử lý"');
    expect((await fetch(`${h.url}/console/assets/main.js`)).status).toBe(200);
    expect((await fetch(`${h.url}/console/assets/..%2Fpages.ts`)).status).toBe(404);
  });
});
