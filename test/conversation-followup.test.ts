import { eq } from 'drizzle-orm';
import { attachments, conversations, tickets } from '../src/db/schema';
import { handBack, notifyCitizen } from '../src/conversation/notify';
import { enqueueOutbound } from '../src/outbound/outbox';
import { openTestDb, uniquePrefix } from './support/harness';
import { ev, eventually, startTestHotline, type TestHotline } from './support/hotline';
import type { Database } from '../src/db/client';

let n = 0;
const newUser = () => `86000000000${String(++n).padStart(6, '0')}`;
const ENV = { INTAKE_BURST_MS: '500', INTAKE_SETTLE_MS: '500' };

/** Follow-up driven by the console's functions, hand-back, and a restart in the middle of an intake. */
describe('follow-up, hand-back and restart (pglite)', () => {
  let database: Database;
  let h: TestHotline;
  const prefix = uniquePrefix();
  beforeAll(async () => {
    database = await openTestDb('pglite');
    h = await startTestHotline(database, { prefix, env: ENV });
  });
  afterAll(async () => {
    await h.stop();
    await database.close();
  });
  const db = () => database.db;
  const texts = (user: string) => h.zalo.sentLog.list(user).map((m) => String(m.message.text ?? '[card]'));
  const replies = async (user: string, count: number) => {
    await eventually(() => texts(user).length >= count, `${count} replies (got ${texts(user).join(' | ')})`);
    return texts(user);
  };
  const say = (user: string, text: string) => h.post(ev.text(user, text));
  const ticketOf = async (user: string) => (await db().select().from(tickets).where(eq(tickets.zaloUserId, user)))[0]!;

  /** A complaint confirmed and the phone question declined: three replies, one ticket. */
  async function reported(user: string) {
    await say(user, 'Hồ sơ cấp đổi sổ đỏ nộp ở văn phòng đăng ký đất đai 3 tháng chưa có kết quả');
    await replies(user, 1);
    await say(user, 'có');
    await replies(user, 2);
    await say(user, 'không');
    await replies(user, 3);
    const t = await ticketOf(user);
    return t;
  }

  async function answered(user: string) {
    const t = await reported(user);
    const ids = await db().transaction((tx) =>
      notifyCitizen(tx, t.id, 'answered', { key: 'a1', answer: 'Hồ sơ đã được giải quyết, mời ông/bà nhận kết quả.' }),
    );
    await enqueueOutbound(h.hotline.queues.outbound, ids.outboxIds);
    const sent = await replies(user, 5);
    expect(sent[3]).toMatch(/Trả lời phản ánh/);
    expect(sent[4]).toMatch(/đánh giá/);
    return t;
  }

  it('after an answer: rating by typing "5 sao", then a comment', async () => {
    const user = newUser();
    const t = await answered(user);
    await say(user, '5 sao');
    expect((await replies(user, 6))[5]).toMatch(/góp ý thêm/);
    await say(user, 'Cán bộ nhiệt tình');
    expect((await replies(user, 7))[6]).toMatch(/cảm ơn góp ý/);
    const after = await ticketOf(user);
    expect([after.id, after.rating, after.ratingComment]).toEqual([t.id, 5, 'Cán bộ nhiệt tình']);
  });

  it('"chưa được giải quyết" reopens the answered ticket', async () => {
    const user = newUser();
    await answered(user);
    await say(user, 'chua duoc giai quyet');
    expect((await replies(user, 6))[5]).toMatch(/mở lại/);
    expect((await ticketOf(user)).status).toBe('dang_xu_ly');
  });

  it('handoff by a confused loop, then hand-back by the operator', async () => {
    const user = newUser();
    await answered(user);
    for (const x of ['???', 'hả', 'gì']) await say(user, x);
    await eventually(() => texts(user).some((t) => /chuyển cuộc trò chuyện/.test(t)), 'the handoff');
    const [c] = await db().select().from(conversations).where(eq(conversations.zaloUserId, user));
    expect(c!.state).toBe('handoff');
    expect(c!.handoffReason).toBe('confused');
    const ids = await db().transaction((tx) => handBack(tx, user, 'op1'));
    await enqueueOutbound(h.hotline.queues.outbound, ids);
    await eventually(() => texts(user).some((t) => /hoàn tất hỗ trợ/.test(t)), 'the hand-back');
    const count = texts(user).length;
    await say(user, 'xin chào');
    await replies(user, count + 1);
  });

  it('a unit asks while a new report is being written: the answer goes to its ticket, the draft resumes', async () => {
    const user = newUser();
    const t = await reported(user);
    await say(user, 'Xin cấp lại giấy phép lái xe bị mất, nộp ở công an tỉnh 1 tháng chưa có');
    expect((await replies(user, 4))[3]).toMatch(/kiểm tra lại thông tin/);
    const asked = await db().transaction((tx) =>
      notifyCitizen(tx, t.id, 'ask_info', { key: 'q1', text: 'Ông/bà nộp hồ sơ ngày nào?' }),
    );
    await enqueueOutbound(h.hotline.queues.outbound, asked.outboxIds);
    const ask = (await replies(user, 5))[4]!;
    expect(ask).toContain(t.trackingCode);
    expect(ask).toMatch(/đang soạn vẫn được giữ/);
    await say(user, 'Tôi nộp ngày 3/6');
    const back = (await replies(user, 6))[5]!;
    expect(back).toMatch(new RegExp(`bổ sung thông tin vào phản ánh ${t.trackingCode}`));
    expect(back).toMatch(
      /tiếp tục với phản ánh đang soạn:\n\nAnh\/Chị vui lòng kiểm tra lại thông tin:\n• Nội dung: Xin cấp lại giấy phép lái xe/,
    );
    await say(user, 'có');
    await eventually(
      async () => (await db().select().from(tickets).where(eq(tickets.zaloUserId, user))).length === 2,
      'the second ticket',
    );
  });

  it('images sent to an operator join the open ticket, with one acknowledgement for the burst', async () => {
    const user = newUser();
    const t = await reported(user);
    await say(user, 'gặp tổng đài viên');
    await replies(user, 4);
    await h.post(ev.image(user, 'https://f1.zdn.vn/a.jpg'));
    await h.post(ev.image(user, 'https://f1.zdn.vn/b.jpg'));
    const files = () => db().select().from(attachments).where(eq(attachments.ticketId, t.id));
    await eventually(async () => (await files()).length === 2, 'both images on the ticket');
    await new Promise((r) => setTimeout(r, 800));
    // (The stand-in URLs may fail to download later; that reply is another matter.)
    const after = texts(user)
      .slice(4)
      .filter((x) => /Tổng đài viên sẽ xem/.test(x));
    expect(after).toEqual([
      `Tổng đài đã nhận ảnh và bổ sung vào phản ánh ${t.trackingCode}. Tổng đài viên sẽ xem khi trả lời Anh/Chị.`,
    ]);
  });

  it('a restart in the middle of an intake loses nothing', async () => {
    const user = newUser();
    await say(user, 'Xin cấp lại giấy phép lái xe bị mất, nộp ở công an tỉnh 1 tháng chưa có');
    expect((await replies(user, 1))[0]).toMatch(/kiểm tra lại thông tin/);
    await h.stop();
    h = await startTestHotline(database, { prefix, env: ENV });
    await say(user, 'có');
    await eventually(
      async () => (await db().select().from(tickets).where(eq(tickets.zaloUserId, user))).length === 1,
      'the ticket',
    );
    const sent = await replies(user, 1);
    expect(sent.join('\n')).toMatch(/PA-\d{4}-\d{6}/);
  });
});
