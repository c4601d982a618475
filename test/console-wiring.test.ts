import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import nock from 'nock';
import { localNetOnly } from './support/zalo-nock';
import type { Database } from '../src/db/client';
import {
  conversationAudit,
  conversations,
  inboundEvents,
  outboundMessages,
  ticketClocks,
  ticketEvents,
  tickets,
} from '../src/db/schema';
import { STATUS_LABEL } from '../src/conversation/catalogue';
import { slaJobId } from '../src/queues/queues';
import { syncReminders } from '../src/sla/reminders';
import { STATUSES } from '../src/tickets/statuses';
import { openTestDb } from './support/harness';
import { ev, eventually, startTestHotline, type TestHotline } from './support/hotline';
import { ApiClient, seedUser } from './support/console-fixture';
import { completeIntake } from './support/dialogue';

/**
 * The console, the dialogue and the deadlines working together: a ticket opened by a citizen through
 * the signed webhook, worked in the console through the API, with what the citizen receives (the
 * Zalo stand-in), the conversation state, the clocks and the reminder jobs checked at each step.
 */
const CDN = 'https://f1.zdn.vn';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
let n = 0;
const newUser = () => `87000000000${String(++n).padStart(6, '0')}`;

describe('console wiring: statuses, dialogue, clocks, attachments, handoffs (pglite)', () => {
  let database: Database;
  let h: TestHotline;
  let dataDir: string;
  const db = () => database.db;
  beforeAll(async () => {
    localNetOnly();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-wire-'));
    database = await openTestDb('pglite');
    h = await startTestHotline(database, { env: { INTAKE_BURST_MS: '500', DATA_DIR: dataDir } });
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
    await database?.close();
    nock.cleanAll();
    nock.enableNetConnect();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const texts = (user: string) => h.zalo.sentLog.list(user).map((m) => String(m.message.text ?? '[card]'));
  const told = (user: string, re: RegExp) =>
    eventually(() => texts(user).find((t) => re.test(t)), `a message matching ${re} (got ${texts(user).join(' | ')})`);
  /** Posts a text and waits until the inbound worker has handled it (whatever it decided). */
  async function say(user: string, text: string) {
    const e = ev.text(user, text);
    expect((await h.post(e)).status).toBe(200);
    await eventually(async () => {
      const [row] = await db().select().from(inboundEvents).where(eq(inboundEvents.zaloMsgId, e.message.msg_id));
      return row && row.status !== 'received';
    }, `"${text}" handled`);
  }
  const ticketOf = async (user: string) =>
    (await db().select().from(tickets).where(eq(tickets.zaloUserId, user)).orderBy(asc(tickets.id)))[0]!;
  const conversationOf = async (user: string) =>
    (await db().select().from(conversations).where(eq(conversations.zaloUserId, user)))[0]!;
  const clocks = (ticketId: number) =>
    db().select().from(ticketClocks).where(eq(ticketClocks.ticketId, ticketId)).orderBy(asc(ticketClocks.id));
  const answerClock = async (ticketId: number) => (await clocks(ticketId)).filter((c) => c.kind === 'answer').pop()!;
  const outboxCount = async (user: string) =>
    (await db().select().from(outboundMessages).where(eq(outboundMessages.zaloUserId, user))).length;

  async function as(role: Parameters<typeof seedUser>[1], unit?: string) {
    const u = await seedUser(db(), role, unit);
    const c = new ApiClient(h.url);
    expect((await c.login(u.email)).status).toBe(200);
    return c;
  }
  async function ok(res: Promise<Response>) {
    const r = await res;
    const body = (await r.json()) as Record<string, unknown>;
    if (r.status !== 200) throw new Error(`${r.status}: ${JSON.stringify(body)}`);
    return body;
  }

  /** A citizen's report through the real intake: summary, "có", no phone; then routed (or moved) to so-tu-phap. */
  async function reported(user: string, op: ApiClient) {
    const t = await completeIntake(
      h,
      db(),
      user,
      'Hồ sơ cấp đổi sổ đỏ nộp ở văn phòng đăng ký đất đai 3 tháng chưa có kết quả',
    );
    await say(user, 'không');
    expect(await clocks(t.id)).toHaveLength(3);
    if (t.unitCode !== 'so-tu-phap')
      await ok(op.post(`/api/tickets/${t.trackingCode}/route`, { unit: 'so-tu-phap', reason: 'Hộ tịch' }));
    await told(user, /Đã chuyển đơn vị xử lý/);
    return ticketOf(user);
  }

  it('one vocabulary: the database refuses other statuses, 0009 maps the old ones, the citizen reads every one', async () => {
    const user = newUser();
    const op = await as('operator');
    const t = await reported(user, op);
    const refused = await db()
      .execute(`update tickets set status = 'da_chuyen_xu_ly' where id = ${t.id}`)
      .then(
        () => 'accepted',
        (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
      );
    expect(refused).toMatch(/tickets_status_check/);
    // The migration's own statements, run again on rows written with the dialogue's old names.
    const sql = fs
      .readFileSync(path.join(__dirname, '../drizzle/0009_wire.sql'), 'utf8')
      .split('--> statement-breakpoint');
    await db().execute('alter table tickets drop constraint tickets_status_check');
    await db().execute(`update tickets set status = 'da_chuyen_xu_ly' where id = ${t.id}`);
    for (const statement of sql.slice(0, 3)) await db().execute(statement);
    expect((await ticketOf(user)).status).toBe('da_chuyen_don_vi');
    const [migrated] = await db()
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, t.id), eq(ticketEvents.type, 'status_migrated')));
    expect(migrated!.data).toMatchObject({ from: 'da_chuyen_xu_ly', to: 'da_chuyen_don_vi' });
    expect(STATUSES.filter((s) => !STATUS_LABEL[s])).toEqual([]);
    // The citizen's lookup speaks of the status the console set, in the citizen's wording.
    await say(user, 'tra cứu');
    await told(user, new RegExp(`${t.trackingCode}: ${STATUS_LABEL.da_chuyen_don_vi}`));
  });

  it('transfer: the new unit gets its own answer clock, the receipt is kept, lists and detail show the clock text', async () => {
    const user = newUser();
    const op = await as('operator');
    const t = await reported(user, op);
    const first = await answerClock(t.id);
    await ok(op.post(`/api/tickets/${t.trackingCode}/route`, { unit: 'so-y-te', reason: 'Nhầm lĩnh vực' }));
    const all = await clocks(t.id);
    expect(all.find((c) => c.id === first.id)!.status).toBe('superseded');
    const now = await answerClock(t.id);
    expect([now.unitCode, now.status]).toEqual(['so-y-te', 'running']);
    const after = await ticketOf(user);
    expect(after.receivedAt).toEqual(t.receivedAt);
    expect(after.answerDueAt).toEqual(now.dueAt);
    const unit = await as('unit_officer', 'so-y-te');
    const list = (await ok(unit.get(`/api/tickets?limit=200`))) as {
      items: Array<{ trackingCode: string; deadline: { kind: string; text: string } }>;
    };
    const item = list.items.find((i) => i.trackingCode === t.trackingCode)!;
    expect(item.deadline).toMatchObject({ kind: 'answer', text: expect.stringMatching(/^còn \d+ ngày làm việc$/) });
    const detail = (await ok(unit.get(`/api/tickets/${t.trackingCode}`))) as {
      ticket: { deadline: { text: string } };
      clocks: Array<{ kind: string; status: string; unitCode: string; text: string }>;
    };
    expect(detail.ticket.deadline.text).toMatch(/^còn \d+ ngày làm việc$/);
    expect(detail.clocks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'answer', status: 'superseded', text: 'đã chuyển đơn vị khác' }),
        expect.objectContaining({ kind: 'forward', status: 'met', text: 'đã hoàn thành' }),
      ]),
    );
    expect((await unit.get(`/api/tickets?unit=so-tu-phap`)).status).toBe(404);
  });

  it("ask for information pauses the clocks; the citizen's reply joins the ticket and resumes them; the answer meets them and asks for a rating", async () => {
    const user = newUser();
    const op = await as('operator');
    const t = await reported(user, op);
    await syncReminders(db(), h.hotline.queues.sla);
    const before = await answerClock(t.id);
    expect(await h.hotline.queues.sla.getJob(slaJobId(t.id, before.id, 'due', before.dueAt!))).toBeDefined();

    const unit = await as('unit_officer', 'so-tu-phap');
    await ok(unit.post(`/api/tickets/${t.trackingCode}/accept`, {}));
    const asked = await ok(
      unit.post(`/api/tickets/${t.trackingCode}/ask-info`, { question: 'Anh/Chị cho biết số biên nhận hồ sơ?' }),
    );
    expect(asked).toMatchObject({ status: 'cho_bo_sung', channel: 'zalo' });
    await told(user, /cung cấp thêm thông tin:\nAnh\/Chị cho biết số biên nhận hồ sơ\?/);
    expect((await conversationOf(user)).state).toBe('adding_info');
    expect((await answerClock(t.id)).status).toBe('paused');
    expect(await h.hotline.queues.sla.getJob(slaJobId(t.id, before.id, 'due', before.dueAt!))).toBeUndefined();

    await say(user, 'Số biên nhận 000.00.12.H13-260301-0001');
    await told(user, /đã bổ sung thông tin vào phản ánh/);
    const resumed = await answerClock(t.id);
    expect(resumed.status).toBe('running');
    expect(resumed.dueAt!.getTime()).toBeGreaterThanOrEqual(before.dueAt!.getTime());
    expect((await ticketOf(user)).status).toBe('dang_xu_ly');
    const types = (await db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id))).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['clock_paused', 'info_requested', 'info_added', 'clock_resumed']));
    await eventually(
      async () => h.hotline.queues.sla.getJob(slaJobId(t.id, resumed.id, 'due', resumed.dueAt!)),
      'the reminders rescheduled for the resumed clock',
    );

    await ok(
      unit.post(`/api/tickets/${t.trackingCode}/answer`, { publicAnswer: 'Hồ sơ đã có kết quả, mời nhận tại phường.' }),
    );
    await told(user, /Trả lời phản ánh .*\nHồ sơ đã có kết quả/);
    await told(user, /đánh giá kết quả/);
    expect((await conversationOf(user)).state).toBe('rating_pending');
    const done = await clocks(t.id);
    expect(done.filter((c) => c.kind === 'forward' || c.id === resumed.id).map((c) => c.status)).toEqual([
      'met',
      'met',
    ]);
    expect(done.filter((c) => c.kind !== 'first_response' && ['running', 'paused'].includes(c.status))).toEqual([]);
    const detail = (await ok(unit.get(`/api/tickets/${t.trackingCode}`))) as { ticket: { deadline: { text: string } } };
    expect(detail.ticket.deadline.text).toBe('đã hoàn thành');
    await say(user, '5');
    await told(user, /góp ý thêm/);
    expect((await ticketOf(user)).rating).toBe(5);
  });

  it('operator reply takes the conversation over (the bot stays silent) until hand-back', async () => {
    const user = newUser();
    const op = await as('operator');
    const t = await reported(user, op);
    const replied = await ok(
      op.post(`/api/tickets/${t.trackingCode}/reply`, { text: 'Chào anh, tôi là tổng đài viên.' }),
    );
    expect(replied).toMatchObject({ channel: 'zalo', window: { open: true } });
    await told(user, /Tổng đài viên trả lời về phản ánh .*\nChào anh/);
    expect((await conversationOf(user)).state).toBe('handoff');
    const sent = await outboxCount(user);
    await say(user, 'tra cứu');
    expect(await outboxCount(user)).toBe(sent);
    await ok(op.post(`/api/tickets/${t.trackingCode}/hand-back`, {}));
    await told(user, /đã hoàn tất hỗ trợ/);
    expect((await conversationOf(user)).state).toBe('idle');
    await say(user, 'tra cứu');
    expect(await outboxCount(user)).toBe(sent + 2);
    const types = (await db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id))).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['operator_replied', 'handed_back']));
  });

  it('withdrawal by the citizen stops the clocks and removes the pending reminders', async () => {
    const user = newUser();
    const op = await as('operator');
    const t = await reported(user, op);
    await syncReminders(db(), h.hotline.queues.sla);
    const clock = await answerClock(t.id);
    expect(await h.hotline.queues.sla.getJob(slaJobId(t.id, clock.id, 'warn', clock.dueAt!))).toBeDefined();
    await say(user, `rút phản ánh ${t.trackingCode}`);
    await told(user, /chắc chắn muốn rút/);
    await say(user, 'có');
    await told(user, /ghi nhận Anh\/Chị rút phản ánh/);
    expect((await ticketOf(user)).status).toBe('da_huy');
    expect((await clocks(t.id)).filter((c) => c.status === 'running' || c.status === 'paused')).toEqual([]);
    await eventually(
      async () => !(await h.hotline.queues.sla.getJob(slaJobId(t.id, clock.id, 'warn', clock.dueAt!))),
      'the reminders removed',
    );
  });

  it("a citizen's image is stored, listed on the ticket and downloadable in the unit's scope only, audited", async () => {
    const user = newUser();
    const op = await as('operator');
    const t = await reported(user, op);
    nock(CDN).get('/anh-vi-pham.png').reply(200, PNG, { 'content-type': 'image/png' });
    await say(user, `bổ sung ${t.trackingCode}`);
    await told(user, /nhắn thông tin hoặc gửi ảnh, tệp/);
    expect((await h.post(ev.image(user, `${CDN}/anh-vi-pham.png`))).status).toBe(200);
    await told(user, /nhận ảnh Anh\/Chị gửi/);
    const unit = await as('unit_officer', 'so-tu-phap');
    type Detail = { attachments: Array<{ id: number; status: string; mime: string; download: string | null }> };
    const file = await eventually(async () => {
      const d = (await ok(unit.get(`/api/tickets/${t.trackingCode}`))) as Detail;
      return d.attachments.find((a) => a.status === 'downloaded');
    }, 'the image downloaded and listed');
    expect(file).toMatchObject({
      mime: 'image/png',
      download: `/api/tickets/${t.trackingCode}/attachments/${file.id}`,
    });
    const res = await unit.get(file.download!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
    const other = await as('unit_officer', 'so-y-te');
    expect((await other.get(file.download!)).status).toBe(404);
    expect((await unit.get(`/api/tickets/${t.trackingCode}/attachments/${file.id + 1000}`)).status).toBe(404);
    const audited = await db()
      .select()
      .from(ticketEvents)
      .where(and(eq(ticketEvents.ticketId, t.id), eq(ticketEvents.type, 'attachment_downloaded')));
    expect(audited).toHaveLength(1);
  });

  it('"gặp tổng đài viên" without a ticket reaches the operators; they reply and hand back', async () => {
    const user = newUser();
    await say(user, 'gặp tổng đài viên');
    await told(user, /chuyển cuộc trò chuyện cho tổng đài viên/);
    const conv = await conversationOf(user);
    const op = await as('operator');
    const list = (await ok(op.get('/api/handoffs?limit=200'))) as {
      items: Array<{ conversationId: number; openTickets: string[]; lastMessage: { text: string } | null }>;
    };
    expect(list.items.find((i) => i.conversationId === conv.id)).toMatchObject({
      openTickets: [],
      lastMessage: { text: 'gặp tổng đài viên' },
    });
    expect((await (await as('unit_officer', 'so-tu-phap')).get('/api/handoffs')).status).toBe(403);
    await ok(op.post(`/api/conversations/${conv.id}/reply`, { text: 'Tổng đài xin nghe, anh cần hỗ trợ gì?' }));
    await told(user, /Tổng đài viên:\nTổng đài xin nghe/);
    await ok(op.post(`/api/conversations/${conv.id}/hand-back`, {}));
    await told(user, /đã hoàn tất hỗ trợ/);
    expect((await conversationOf(user)).state).toBe('idle');
    const after = (await ok(op.get('/api/handoffs?limit=200'))) as { items: Array<{ conversationId: number }> };
    expect(after.items.some((i) => i.conversationId === conv.id)).toBe(false);
    const audited = await db().select().from(conversationAudit).where(eq(conversationAudit.conversationId, conv.id));
    expect(audited.map((a) => a.type)).toEqual(['viewed', 'operator_replied', 'handed_back']);
    expect(audited.every((a) => a.actor.startsWith('user:'))).toBe(true);
    await expect(db().execute(`delete from conversation_audit where conversation_id = ${conv.id}`)).rejects.toThrow();
  });
});
