import crypto from 'node:crypto';
import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import { deadLetters, inboundEvents, outboundMessages, ticketEvents, tickets, users } from '../src/db/schema';
import { newTotpSecret, totp } from '../src/auth/totp';
import { createCannedAnswer } from '../src/console/canned-answers';
import type { Role } from '../src/auth/roles';
import { PASSWORD, seedTicket, seedUser } from './support/console-fixture';
import { eventually } from './support/hotline';
import { useSandboxHotline } from './support/sandbox-hotline';
import { playwright, useChromium } from './support/chromium';

/*
 * The console in a real Chromium (playwright-core, Debian's /usr/bin/chromium) against a hotline in
 * sandbox mode: the citizen is the sandbox's signed-webhook stand-in. Without Chromium or
 * playwright-core the file says so and skips.
 */
type Page = import('playwright-core').Page;
const maybe = playwright ? describe : describe.skip;
if (!playwright)
  test.skip('the console in Chromium (Chromium at /usr/bin/chromium or playwright-core not found)', () => {});

const WAIT = { timeout: 30_000 };
/** The dialogue's workers on a loaded machine: replies can take a while. */
const CITIZEN_MS = 90_000;
const PHONE = { width: 390, height: 844 };
const OFFICE = { width: 1366, height: 768 };
const XSS = '<img src=x onerror=alert(1)><script>alert(2)</script>';

maybe('the console in Chromium', () => {
  const sandbox = useSandboxHotline();
  const chromium = useChromium();
  const db = () => sandbox().database.db;

  interface Session {
    page: Page;
    /** Page errors and console errors other than refused requests (a CSP violation lands here). */
    errors: string[];
    dialogs: string[];
  }

  async function loginAs(role: Role, unit?: string, viewport = OFFICE): Promise<Session> {
    const user = await seedUser(db(), role, unit);
    const context = await chromium().newContext({ viewport, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT.timeout);
    const s: Session = { page, errors: [], dialogs: [] };
    page.on('pageerror', (e) => s.errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) s.errors.push(m.text());
    });
    page.on('dialog', (d) => {
      s.dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      await page.goto(`${sandbox().url}/console/login`);
      await page.fill('input[name=email]', user.email);
      await page.fill('input[name=password]', PASSWORD);
      await page.click('button[type=submit]');
      await page.locator('#who-email', { hasText: user.email }).waitFor(WAIT);
    } catch (e) {
      throw new Error(`login as ${role} failed; page errors: ${s.errors.join(' | ')}`, { cause: e });
    }
    return s;
  }
  const close = (s: Session) => s.page.context().close();
  const ready = (p: Page) => p.locator('body[data-ready=true]').waitFor(WAIT);

  const say = (userId: string, text: string) =>
    fetch(`${sandbox().url}/sandbox/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, text }),
    }).then((r) => expect(r.status).toBeLessThan(300));
  const received = async (userId: string) => {
    const r = await fetch(`${sandbox().url}/sandbox/api/messages?userId=${userId}`);
    const { messages } = (await r.json()) as { messages: Array<{ message: { text?: string } }> };
    return messages.map((m) => m.message.text ?? '[card]');
  };
  const ticketOf = async (userId: string) =>
    (await db().select().from(tickets).where(eq(tickets.zaloUserId, userId)))[0];

  test.each([
    ['admin', undefined, '/console/triage'],
    ['operator', undefined, '/console/triage'],
    ['unit_officer', 'so-tu-phap', '/console/unit'],
    ['unit_head', 'so-tu-phap', '/console/unit'],
    ['inspector', undefined, '/console/dashboard'],
  ] as const)(
    '%s logs in and lands on their page, on an office screen and a phone',
    async (role, unit, home) => {
      for (const viewport of [OFFICE, PHONE]) {
        const s = await loginAs(role, unit, viewport);
        try {
          await ready(s.page);
          expect(new URL(s.page.url()).pathname).toBe(home);
          const width = (await s.page.evaluate('document.documentElement.scrollWidth')) as number;
          expect(width).toBeLessThanOrEqual(viewport.width);
          expect(s.errors).toEqual([]);
        } finally {
          await close(s);
        }
      }
    },
    120_000,
  );

  test('a wrong password is refused; an admin with TOTP is asked for the code', async () => {
    const admin = await seedUser(db(), 'admin');
    const secret = newTotpSecret();
    await db().update(users).set({ totpSecret: secret }).where(eq(users.id, admin.id));
    const page = await chromium().newPage({ viewport: PHONE });
    page.setDefaultTimeout(WAIT.timeout);
    // What the page sent and got, to say which step failed if one does.
    const trail: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/auth/login'))
        trail.push(`POST login with ${Object.keys(JSON.parse(r.postData() ?? '{}')).join('+')}`);
    });
    page.on('response', (r) => {
      if (r.url().includes('/api/')) trail.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    try {
      /** Submits and returns the login API's answer to that submission. */
      const submit = async () => {
        const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'), WAIT);
        await page.click('button[type=submit]');
        return (await answer).status();
      };
      await page.goto(`${sandbox().url}/console/login`);
      await page.fill('input[name=email]', admin.email);
      // Not asked for yet, so not shown (a .field's display once overrode the hidden attribute).
      expect(await page.locator('input[name=totp]').isVisible()).toBe(false);
      await page.fill('input[name=password]', 'sai mật khẩu');
      expect(await submit()).toBe(401);
      await page.getByText('Sai e-mail hoặc mật khẩu.').waitFor(WAIT);
      await page.fill('input[name=password]', PASSWORD);
      expect(await submit()).toBe(401);
      await page.locator('input[name=totp]').waitFor({ state: 'visible', ...WAIT });
      await page.locator('[role=alert]', { hasText: 'Nhập mã xác thực 6 số' }).waitFor(WAIT);
      await page.fill('input[name=totp]', totp(secret, Date.now()));
      expect(await submit()).toBe(200);
      await page.locator('#who-email', { hasText: admin.email }).waitFor(WAIT);
    } catch (e) {
      const alerts = await page
        .locator('[role=alert]')
        .allTextContents()
        .catch(() => []);
      throw new Error(`at ${page.url()}; alerts: ${alerts.join(' | ')}; requests: ${trail.join(', ')}`, { cause: e });
    } finally {
      await page.close();
    }
  }, 60_000);

  test('a citizen message is routed, answered by the unit, received and rated; inspectors export it', async () => {
    const citizen = `9${crypto.randomInt(1e9, 9e9)}`;
    await say(citizen, 'Hồ sơ cấp đổi sổ đỏ nộp ở văn phòng đăng ký đất đai 3 tháng chưa có kết quả');
    await eventually(async () => (await received(citizen)).length >= 1, 'the summary', CITIZEN_MS).catch(
      async (e: unknown) => {
        // Where it stopped: the webhook's stored events and their status say which stage did not run.
        const events = await db().select().from(inboundEvents).where(eq(inboundEvents.zaloUserId, citizen));
        throw new Error(`${String(e)}; events: ${JSON.stringify(events.map((x) => [x.eventName, x.status]))}`, {
          cause: e,
        });
      },
    );
    await say(citizen, 'có');
    const created = await eventually(() => ticketOf(citizen), 'the ticket', CITIZEN_MS);
    const code = created.trackingCode;

    // The operator transfers it to the justice department, with a reason.
    const op = await loginAs('operator');
    try {
      await op.page.goto(`${sandbox().url}/console/tickets/${code}`);
      await op.page.locator('#ticket-content', { hasText: 'sổ đỏ' }).waitFor(WAIT);
      const route = op.page.locator('details[data-action=route]');
      if (!(await route.getAttribute('open'))) await route.locator('summary').click();
      await route.locator('select[name=unit]').selectOption('so-tu-phap');
      await route.locator('input[name=reason]').fill('Thuộc thẩm quyền Sở Tư pháp');
      await route.locator('button[type=submit]').click();
      // The page reloads the ticket once the server has done it.
      await op.page.locator('.clock-box', { hasText: 'Sở Tư pháp' }).waitFor(WAIT);
      expect(op.errors).toEqual([]);
    } finally {
      await close(op);
    }

    // The unit officer accepts and answers, on a phone.
    const officer = await loginAs('unit_officer', 'so-tu-phap', PHONE);
    try {
      const card = () => officer.page.locator(`article[data-code="${code}"]`);
      await card().locator('details.item-actions > summary').click();
      await card().locator('button[data-action=accept]').click();
      await card().locator('.badge', { hasText: 'Đang xử lý' }).waitFor(WAIT);
      await card().locator('details.item-actions > summary').click();
      const answer = card().locator('form[data-action=answer]');
      await answer.locator('textarea[name=publicAnswer]').fill('Hồ sơ đã được giải quyết, mời ông/bà nhận kết quả.');
      await answer.locator('textarea[name=internalNote]').fill('Đã gọi điện nhắc bộ phận một cửa');
      await answer.locator('button[type=submit]').click();
      await card().waitFor({ state: 'detached', ...WAIT });
      expect(officer.errors).toEqual([]);
    } finally {
      await close(officer);
    }

    // The citizen receives the answer and the rating question in the Zalo stand-in, and rates.
    await eventually(
      async () => (await received(citizen)).some((m) => m.includes('mời ông/bà nhận kết quả')),
      'the answer in the stand-in',
      CITIZEN_MS,
    );
    await eventually(
      async () => (await received(citizen)).some((m) => /đánh giá/.test(m)),
      'the rating question',
      CITIZEN_MS,
    );
    await say(citizen, '5 sao');
    await eventually(async () => (await ticketOf(citizen))?.rating === 5, 'the rating', CITIZEN_MS);
    const events = await db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, created.id));
    const types = events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['accepted', 'answered', 'rated']));
    // 'routed' from the hotline's own queue, 'transferred' when the classifier had sent it elsewhere.
    expect(types.some((x) => x === 'routed' || x === 'transferred')).toBe(true);

    // The inspector sees the rating and exports the period as CSV.
    const inspector = await loginAs('inspector');
    try {
      await ready(inspector.page);
      await inspector.page.locator('#dashboard table').first().waitFor(WAIT);
      const [download] = await Promise.all([
        inspector.page.waitForEvent('download', WAIT),
        inspector.page.click('#csv'),
      ]);
      const csv = fs.readFileSync((await download.path())!, 'utf8');
      expect(csv).toContain('Mã phản ánh');
      expect(csv).toContain(code);
      // A figure leads to its tickets.
      await inspector.page.locator('#dashboard a.figure').first().click();
      await inspector.page.locator('#ticket-list article').first().waitFor(WAIT);
      expect(inspector.errors).toEqual([]);
    } finally {
      await close(inspector);
    }
  }, 600_000);

  test("what roles must not do: another unit's ticket is not found; operators get no admin page", async () => {
    const other = await seedTicket(db(), { unit: 'so-tu-phap', content: 'Hồ sơ hộ tịch của Sở Tư pháp' });
    const officer = await loginAs('unit_officer', 'so-y-te');
    try {
      await officer.page.goto(`${sandbox().url}/console/tickets/${other.trackingCode}`);
      await officer.page.getByText('Không tìm thấy phản ánh này.').waitFor(WAIT);
      expect(await officer.page.getByText('Hồ sơ hộ tịch').count()).toBe(0);
      const api = await officer.page.request.get(`${sandbox().url}/api/tickets/${other.trackingCode}`);
      expect(api.status()).toBe(404);
    } finally {
      await close(officer);
    }
    const op = await loginAs('operator');
    try {
      await op.page.goto(`${sandbox().url}/console/admin`);
      await op.page.getByText('Vai trò của bạn không được xem trang này.').waitFor(WAIT);
      expect((await op.page.request.get(`${sandbox().url}/api/admin/dead-letters`)).status()).toBe(403);
      expect(await op.page.locator('#dead-letters').count()).toBe(0);
    } finally {
      await close(op);
    }
  }, 120_000);

  test('an admin sees the accounts and puts a dead letter back on its queue', async () => {
    const [dead] = await db()
      .insert(deadLetters)
      .values({
        queue: 'outbound',
        jobId: `dead-${crypto.randomUUID()}`,
        jobName: 'send',
        payload: { outboundId: 2_000_000_000 },
        errorCode: 'ZALO_TEST',
        errorMessage: 'thử nghiệm',
        attempts: 5,
      })
      .returning();
    const op = await seedUser(db(), 'operator');
    await createCannedAnswer(
      db(),
      { userId: op.id, email: op.email, role: 'operator', unitCode: null },
      { title: 'Hẹn chuyển đơn vị', body: 'Tổng đài đã chuyển phản ánh.', category: null },
    );
    const admin = await loginAs('admin', undefined, PHONE);
    try {
      await admin.page.goto(`${sandbox().url}/console/admin`);
      // Who changed the canned answers, in words.
      await admin.page
        .locator('#canned-history tr', { hasText: 'Thêm câu trả lời mẫu' })
        .filter({ hasText: op.email })
        .filter({ hasText: 'Tiêu đề: Hẹn chuyển đơn vị' })
        .waitFor(WAIT);
      const email = (await admin.page.locator('#who-email').textContent())!;
      await admin.page.locator('#users td', { hasText: email }).waitFor(WAIT);
      const row = admin.page.locator('#dead-letters tr', { hasText: 'ZALO_TEST: thử nghiệm' });
      await row.locator('button').click();
      await row.waitFor({ state: 'detached', ...WAIT });
      const [after] = await db().select().from(deadLetters).where(eq(deadLetters.id, dead!.id));
      expect(after!.retriedAt).not.toBeNull();
      expect(admin.errors).toEqual([]);
    } finally {
      await close(admin);
    }
  }, 60_000);

  test('HTML in a citizen message shows as text on every page and nothing runs', async () => {
    const content = `Cán bộ hẹn mãi ${XSS} không trả hồ sơ`;
    const atHotline = await seedTicket(db(), { unit: 'tong-dai', content, status: 'moi_tiep_nhan', mode: 'triage' });
    const atUnit = await seedTicket(db(), { unit: 'so-tu-phap', content, conduct: true });
    const shows = async (s: Session, path: string, where: string) => {
      await s.page.goto(`${sandbox().url}${path}`);
      await ready(s.page);
      await s.page.locator(where, { hasText: XSS }).first().waitFor(WAIT);
      expect(await s.page.locator('img[src=x]').count()).toBe(0);
    };
    const op = await loginAs('operator');
    const officer = await loginAs('unit_officer', 'so-tu-phap', PHONE);
    const inspector = await loginAs('inspector');
    try {
      await shows(op, '/console/triage', `article[data-code="${atHotline.trackingCode}"] .preview`);
      await shows(op, `/console?q=${encodeURIComponent('hẹn mãi')}`, '#ticket-list .preview');
      await shows(op, `/console/tickets/${atHotline.trackingCode}`, '#ticket-content');
      await shows(op, `/console/tickets/${atHotline.trackingCode}`, '.transcript .msg-text');
      await shows(officer, '/console/unit', `article[data-code="${atUnit.trackingCode}"] .preview`);
      await shows(officer, `/console/tickets/${atUnit.trackingCode}`, '#ticket-content');
      await shows(inspector, `/console/tickets/${atUnit.trackingCode}`, '#ticket-content');
      await shows(inspector, '/console?conduct=true', '#ticket-list .preview');
      for (const s of [op, officer, inspector]) {
        expect(s.dialogs).toEqual([]);
        expect(s.errors).toEqual([]);
      }
    } finally {
      await Promise.all([op, officer, inspector].map(close));
    }
  }, 180_000);
  test('the ticket page speaks Vietnamese: routing, scores, audit trail, message status, unit names, local times', async () => {
    const t = await seedTicket(db(), { unit: 'ubnd-phuong-cai-khe', content: 'Đèn đường hỏng ở phường Cái Khế' });
    const decision = {
      mode: 'auto',
      unit: 'ubnd-phuong-cai-khe',
      commune: 'phuong-cai-khe',
      communeSource: 'text',
      rule: { id: 'ha-tang-xa', matchedKeyword: 'đèn đường' },
      scores: { category: 0.875, kind: 0.92, conduct: 0.05, emergency: 0.01 },
      reason: 'rule ha-tang-xa (keyword "đèn đường"): commune level, Phường Cái Khế from the text',
      classification: { category: 'dat_dai', kind: 'phan_anh' },
    };
    await db().update(tickets).set({ routing: decision, forwardDueAt: t.answerDueAt }).where(eq(tickets.id, t.id));
    await db()
      .insert(ticketEvents)
      .values([
        { ticketId: t.id, type: 'received', actor: 'citizen', data: { answerDueAt: t.answerDueAt!.toISOString() } },
        {
          ticketId: t.id,
          type: 'classified',
          actor: 'system',
          data: { mode: 'auto', unit: 'ubnd-phuong-cai-khe', reason: decision.reason, routingVersion: 3 },
        },
        { ticketId: t.id, type: 'some_future_event', actor: 'robot', data: { at: new Date().toISOString() } },
      ]);
    await db()
      .insert(outboundMessages)
      .values({
        dedupeKey: `words-${t.id}`,
        zaloUserId: t.zaloUserId,
        ticketId: t.id,
        status: 'sent',
        message: { text: 'Đã nhận' },
      });
    const op = await loginAs('operator');
    try {
      await op.page.goto(`${sandbox().url}/console/tickets/${t.trackingCode}`);
      await ready(op.page);
      const text = (await op.page.locator('main').innerText()).replace(/\s+/g, ' ');
      for (const shown of [
        'Đã tự động chuyển đơn vị xử lý',
        'Tự động chuyển đơn vị',
        'Theo quy tắc «ha-tang-xa» (từ khóa «đèn đường»); chuyển UBND Phường Cái Khế',
        'Lĩnh vực: 87,5% Loại: 92% Về công vụ: 5% Khẩn cấp: 1%',
        'Tiếp nhận phản ánh',
        'Bộ phân loại tự động xử lý',
        'Hoạt động khác',
        'Người dân',
        'Hệ thống',
        'đã gửi',
        'Đơn vị: UBND Phường Cái Khế',
      ])
        expect(text).toContain(shown);
      for (const hidden of [/\bauto\b/, /\bclassified\b/, /\breceived\b/, /\bsystem\b/, /\bsent\b/, /ubnd-phuong/])
        expect(text).not.toMatch(hidden);
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
      expect(text).not.toMatch(/0\.875|from the text|some_future_event|robot/);
      expect(text).toMatch(/Tiếp nhận: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
      // Already at the unit: no forwarding deadline, and the move offered is to another unit only.
      expect(text).not.toContain('Hạn chuyển');
      const route = op.page.locator('details[data-action=route]');
      await expect(route.locator('summary').innerText()).resolves.toBe('Chuyển sang đơn vị khác');
      expect(await route.locator('option[value="ubnd-phuong-cai-khe"]').count()).toBe(0);
      expect(await route.locator('option[value="so-tu-phap"]').count()).toBe(1);
      expect(op.errors).toEqual([]);
    } finally {
      await close(op);
    }
  }, 120_000);

  test('an answered ticket says when and whether on time; the unit page pages by deadline; the inspector lands on the dashboard', async () => {
    const due = new Date(Date.now() - 5 * 86_400_000);
    const late = await seedTicket(db(), {
      unit: 'so-y-te',
      content: 'Trả lời muộn',
      status: 'da_co_ket_qua',
      dueAt: due,
    });
    await db()
      .update(tickets)
      .set({ answeredAt: new Date(due.getTime() + 3 * 86_400_000 + 3600_000), rating: 4, ratedAt: new Date() })
      .where(eq(tickets.id, late.id));
    const soon = await seedTicket(db(), {
      unit: 'so-y-te',
      content: 'Hạn gần',
      dueAt: new Date(Date.now() + 86_400_000),
    });
    const far = await seedTicket(db(), {
      unit: 'so-y-te',
      content: 'Hạn xa',
      dueAt: new Date(Date.now() + 9 * 86_400_000),
    });
    const officer = await loginAs('unit_officer', 'so-y-te');
    try {
      const listed = officer.page.waitForRequest((r) => /\/api\/tickets\?.*order=deadline/.test(r.url()));
      await officer.page.goto(`${sandbox().url}/console/unit`);
      await listed;
      await ready(officer.page);
      const codes = await officer.page
        .locator('#unit-list article')
        .evaluateAll((a) => a.map((e) => e.getAttribute('data-code')));
      expect(codes.indexOf(soon.trackingCode)).toBeGreaterThanOrEqual(0);
      expect(codes.indexOf(soon.trackingCode)).toBeLessThan(codes.indexOf(far.trackingCode));
      expect(codes).not.toContain(late.trackingCode);
      await officer.page.goto(`${sandbox().url}/console/tickets/${late.trackingCode}`);
      await ready(officer.page);
      const clock = await officer.page.locator('.clock-box').innerText();
      expect(clock).toMatch(/Đã trả lời: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} · trễ 3 ngày/);
      expect(clock).not.toMatch(/còn \d+ ngày/);
      expect(await officer.page.locator('details[data-action=answer]').count()).toBe(0);
    } finally {
      await close(officer);
    }
    const inspector = await loginAs('inspector');
    try {
      await inspector.page.goto(`${sandbox().url}/console`);
      await inspector.page.waitForURL(/\/console\/dashboard$/, WAIT);
      await ready(inspector.page);
      const row = inspector.page.locator('#dashboard tr', { hasText: 'Sở Y tế' }).filter({ hasText: '4,00' });
      await row.first().waitFor(WAIT);
      // The list is still one click away from the navigation.
      await inspector.page.locator('nav a', { hasText: 'Danh sách phản ánh' }).click();
      await inspector.page.locator('#ticket-list').waitFor(WAIT);
      expect(new URL(inspector.page.url()).pathname).toBe('/console/tickets');
      expect(inspector.errors).toEqual([]);
    } finally {
      await close(inspector);
    }
  }, 120_000);
});
