import { eq } from 'drizzle-orm';
import { consents, conversations, ticketEvents, tickets } from '../src/db/schema';
import { openTestDb } from './support/harness';
import { ev, eventually, startTestHotline, type TestHotline } from './support/hotline';
import type { Database } from '../src/db/client';

let n = 0;
const newUser = () => `85000000000${String(++n).padStart(6, '0')}`;

/** Scenario tests: signed events through the webhook, workers and outbox; what the citizen receives. */
describe('the citizen dialogue (pglite)', () => {
  let database: Database;
  let h: TestHotline;
  beforeAll(async () => {
    database = await openTestDb('pglite');
    h = await startTestHotline(database, {
      env: { INTAKE_BURST_MS: '500', INTAKE_SETTLE_MS: '500', SPAM_MAX_PER_MINUTE: '8' },
    });
  });
  afterAll(async () => {
    await h.stop();
    await database.close();
  });
  const db = () => database.db;
  const texts = (user: string) => h.zalo.sentLog.list(user).map((m) => String(m.message.text ?? '[card]'));
  const buttons = (user: string, i: number) =>
    (
      h.zalo.sentLog.list(user)[i]!.message.attachment as unknown as {
        payload: { buttons?: Array<{ title: string; payload: string }> };
      }
    ).payload.buttons ?? [];
  /** Waits for the count of replies, then a moment more to see nothing else arrives. */
  const replies = async (user: string, count: number) => {
    await eventually(() => texts(user).length >= count, `${count} replies to ${user} (got ${texts(user).join(' | ')})`);
    await new Promise((r) => setTimeout(r, 300));
    return texts(user);
  };
  const say = (user: string, text: string) => h.post(ev.text(user, text));
  const ticketsOf = (user: string) => db().select().from(tickets).where(eq(tickets.zaloUserId, user));
  const stateOf = async (user: string) =>
    (await db().select().from(conversations).where(eq(conversations.zaloUserId, user)))[0]!;

  /** A full intake: the complaint, the summary, "có", the acknowledgement with its code. */
  async function report(user: string, text: string) {
    await say(user, text);
    const before = texts(user).length;
    await replies(user, before + 1);
    await say(user, 'có');
    await replies(user, before + 2);
    const [t] = await ticketsOf(user);
    return t!;
  }

  it('full intake in one message: summary with buttons, ticket only after "có", then the code', async () => {
    const user = newUser();
    await say(
      user,
      'Tôi nộp hồ sơ đăng ký biến động sang tên sổ đỏ ở văn phòng đăng ký đất đai 3 tháng chưa có kết quả',
    );
    const [summary] = await replies(user, 1);
    expect(summary).toMatch(/kiểm tra lại thông tin/);
    expect(summary).toMatch(/Đất đai/);
    expect(buttons(user, 0).map((b) => b.title)).toEqual(['Xác nhận', 'Sửa', 'Hủy']);
    expect(await ticketsOf(user)).toHaveLength(0);
    await say(user, 'có');
    const sent = await replies(user, 2);
    const [t] = await ticketsOf(user);
    expect(sent[1]).toContain(t!.trackingCode);
    expect(t!.content).toMatch(/sổ đỏ/);
    // First intake: the contact notice is offered once, with its buttons.
    expect(sent[1]).toMatch(/đồng ý cung cấp số điện thoại/);
    expect((await stateOf(user)).state).toBe('consent_pending');
  });

  it('a burst of messages is one intake: one summary, one ticket with all of it', async () => {
    const user = newUser();
    await say(user, 'alo');
    await say(user, 'cho hỏi');
    await say(user, 'làm căn cước cho con 2 tháng chưa có');
    await say(user, 'công an hẹn hoài');
    const sent = await replies(user, 1);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/căn cước cho con 2 tháng chưa có công an hẹn hoài/);
    await say(user, 'ok');
    await replies(user, 2);
    const all = await ticketsOf(user);
    expect(all).toHaveLength(1);
    expect(all[0]!.content).toBe('cho hỏi\nlàm căn cước cho con 2 tháng chưa có\ncông an hẹn hoài');
  });

  it('no diacritics and chat abbreviations: understood, and "dc" confirms', async () => {
    const user = newUser();
    await say(user, 'ho so sdd nop 3 thang ko thay tra loi, vp dang ky dat dai ko nghe may');
    const [summary] = await replies(user, 1);
    expect(summary).toMatch(/Đất đai/);
    await say(user, 'dc');
    await replies(user, 2);
    expect(await ticketsOf(user)).toHaveLength(1);
  });

  it('"alo" alone asks for the content; a commune-level matter without a commune asks for it', async () => {
    const user = newUser();
    await say(user, 'alo');
    const [ask] = await replies(user, 1);
    expect(ask).toMatch(/nhắn rõ nội dung/);
    await say(user, 'đăng ký khai sinh cho con nộp 2 tuần chưa có giấy');
    const sent = await replies(user, 2);
    if (/xã\/phường nơi nộp/.test(sent[1]!)) {
      await say(user, 'phường Cái Khế');
      const after = await replies(user, 3);
      expect(after[2]).toMatch(/Xã\/phường: Phường Cái Khế/i);
    } else expect(sent[1]).toMatch(/kiểm tra lại thông tin/);
    await say(user, 'có');
    await eventually(async () => (await ticketsOf(user)).length === 1, 'the ticket');
    const [t] = await ticketsOf(user);
    expect(t!.content).toMatch(/khai sinh/);
  });

  it('consent declined: recorded with the notice version, no contact stored', async () => {
    const user = newUser();
    await report(user, 'Hồ sơ chuyển nhượng đất nộp 2 tháng chưa có kết quả ở văn phòng đăng ký đất đai');
    await say(user, 'không');
    const sent = await replies(user, 3);
    expect(sent[2]).toMatch(/qua Zalo/);
    const [c] = await db().select().from(consents).where(eq(consents.zaloUserId, user));
    expect(c).toMatchObject({ answer: 'declined', noticeVersion: 'contact-callback-v2', purpose: 'contact_callback' });
    expect((await stateOf(user)).contactPhone).toBeNull();
  });

  it('consent given: the card is offered and a typed number is validated and stored', async () => {
    const user = newUser();
    const t = await report(user, 'Hồ sơ tách thửa đất nộp 3 tháng chưa có kết quả tại văn phòng đăng ký đất đai');
    await say(user, 'đồng ý');
    await replies(user, 4);
    expect(h.zalo.sentLog.list(user)[3]!.message.attachment).toBeTruthy();
    await say(user, '0123');
    expect((await replies(user, 5))[4]).toMatch(/chưa đúng/);
    await say(user, '+84 912 345 678');
    expect((await replies(user, 6))[5]).toMatch(/đã lưu số điện thoại/);
    expect((await stateOf(user)).contactPhone).toBe('0912345678');
    const [after] = await db().select().from(tickets).where(eq(tickets.id, t.id));
    expect(after!.callbackRequested).toBe(true);
  });

  it('images with a caption in a burst go onto the ticket as attachments', async () => {
    const user = newUser();
    await h.post(ev.image(user));
    await say(user, 'Bộ phận một cửa phường không nhận hồ sơ của tôi, ảnh giấy hẹn đây');
    const [summary] = await replies(user, 1);
    expect(summary).toMatch(/Đính kèm: 1 ảnh/);
    await say(user, 'có');
    await replies(user, 2);
    const [t] = await ticketsOf(user);
    const events = await db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, t!.id));
    const att = events.find((e) => e.type === 'attachment_received')!;
    expect(att.data).toMatchObject({ attachments: [{ type: 'image' }] });
    expect(typeof att.data.eventId).toBe('number');
  });

  it("lookup of one's own code in any spelling; someone else's code gets no details", async () => {
    const owner = newUser();
    const t = await report(owner, 'Xin cấp lại giấy phép lái xe bị mất, nộp 1 tháng chưa có, công an tỉnh hẹn mãi');
    const loose = t.trackingCode.replace(/-/g, '').toLowerCase();
    await say(owner, loose);
    const sent = await replies(owner, 3);
    expect(sent[2]).toContain(t.trackingCode);
    expect(sent[2]).toMatch(/Dự kiến trả lời trước ngày \d{2}\/\d{2}\/\d{4}/);
    const other = newUser();
    await say(other, `tra cứu ${t.trackingCode}`);
    const [theirs] = await replies(other, 1);
    expect(theirs).toMatch(/không tìm thấy/);
    expect(theirs).not.toMatch(/Đơn vị xử lý/);
  });

  it('add information and withdraw an open ticket', async () => {
    const user = newUser();
    const t = await report(user, 'Đăng ký kết hôn nộp 2 tuần chưa có giấy, ủy ban phường Cái Khế hẹn lại');
    await say(user, `#bo_sung:${t.trackingCode}`);
    await replies(user, 3);
    await say(user, 'Tôi nộp ngày 3/6, cán bộ tên Minh nhận hồ sơ');
    expect((await replies(user, 4))[3]).toMatch(/đã bổ sung/);
    await say(user, 'rút phản ánh');
    expect((await replies(user, 5))[4]).toContain(t.trackingCode);
    await say(user, 'ừ');
    expect((await replies(user, 6))[5]).toMatch(/rút phản ánh/);
    const [after] = await db().select().from(tickets).where(eq(tickets.id, t.id));
    expect(after!.status).toBe('da_huy');
    const types = (await db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id))).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['info_added', 'withdrawn']));
  });

  it('emergency: the numbers at once, the ticket flagged, no confirmation', async () => {
    const user = newUser();
    await say(user, 'cháy nhà lớn ở hẻm 5 đường Mậu Thân, cứu với!!!');
    const [first] = await replies(user, 1);
    expect(first).toMatch(/114.*113.*115/);
    const [t] = await ticketsOf(user);
    expect(t!.emergency).toBe(true);
    expect(t!.needsOperatorAt).toBeInstanceOf(Date);
    expect(first).toContain(t!.trackingCode);
  });

  it('khiếu nại: the legal channel explained, and still recorded', async () => {
    const user = newUser();
    await say(user, 'Tôi khiếu nại quyết định thu hồi đất số 123/QĐ-UBND của UBND phường, đề nghị xem xét lại');
    const sent = await replies(user, 1);
    const joined = sent.join('\n');
    if (/Luật Khiếu nại 2011/.test(joined)) expect(joined).toMatch(/Luật Tố cáo 2018/);
    await say(user, 'có');
    await replies(user, 2);
    expect(await ticketsOf(user)).toHaveLength(1);
  });

  it('greetings and thanks get the menu, never a ticket; emoji-only and empty text do not break anything', async () => {
    const user = newUser();
    await say(user, 'xin chào ad');
    await replies(user, 1);
    expect(buttons(user, 0).map((b) => b.title)).toEqual([
      'Gửi phản ánh',
      'Tra cứu',
      'Hỏi thủ tục',
      'Gặp tổng đài viên',
    ]);
    await say(user, '😀😀');
    await say(user, '   ');
    await say(user, 'cảm ơn ad');
    // One burst of small talk ending in thanks: one reply, the thanks.
    expect((await replies(user, 2))[1]).toMatch(/Cảm ơn/);
    expect((await stateOf(user)).state).toBe('idle');
    expect(await ticketsOf(user)).toHaveLength(0);
  });

  it('spam: one polite notice, then silence', async () => {
    const user = newUser();
    for (let i = 0; i < 12; i++) await say(user, `quảng cáo vay tiền nhanh lãi thấp số ${i}`);
    await eventually(() => texts(user).some((t) => /quá nhiều tin nhắn/.test(t)), 'the notice');
    await new Promise((r) => setTimeout(r, 1200));
    expect(texts(user).filter((t) => /quá nhiều tin nhắn/.test(t))).toHaveLength(1);
    expect(texts(user)).toHaveLength(1);
    expect(await ticketsOf(user)).toHaveLength(0);
  });

  it('10,000 characters, stickers and unknown attachment types are handled', async () => {
    const user = newUser();
    await h.post(ev.media('user_send_sticker', 'sticker', user));
    await say(user, `Hồ sơ đất đai trễ hẹn. ${'rất lâu '.repeat(1240)}`);
    const [summary] = await replies(user, 1);
    expect(summary!.length).toBeLessThan(2000);
    await h.post({
      ...ev.image(user),
      message: { msg_id: 'x1' + user, attachments: [{ type: 'hologram', payload: {} }] },
    });
    await say(user, 'có');
    await eventually(async () => (await ticketsOf(user)).length === 1, 'the ticket');
  });

  it('out of order and duplicated messages: content kept in the order written, once', async () => {
    const user = newUser();
    const a = ev.text(user, 'Hồ sơ cấp đổi sổ đỏ nộp tháng 6');
    const b = ev.text(user, 'đến nay chưa có kết quả ở văn phòng đăng ký đất đai');
    await h.post(b);
    await h.post(a);
    await h.post(b);
    const [summary] = await replies(user, 1);
    expect(summary).toMatch(/tháng 6 đến nay/);
    await say(user, 'có');
    await replies(user, 2);
    const [t] = await ticketsOf(user);
    expect(t!.content).toBe('Hồ sơ cấp đổi sổ đỏ nộp tháng 6\nđến nay chưa có kết quả ở văn phòng đăng ký đất đai');
  });

  it('handoff on request: the bot is silent except for emergencies', async () => {
    const user = newUser();
    await say(user, 'gặp tổng đài viên');
    expect((await replies(user, 1))[0]).toMatch(/tổng đài viên/);
    expect((await stateOf(user)).handoffAt).toBeInstanceOf(Date);
    await say(user, 'hồ sơ của tôi sao rồi');
    await new Promise((r) => setTimeout(r, 1200));
    expect(texts(user)).toHaveLength(1);
    await say(user, 'cháy nhà cứu với');
    expect((await replies(user, 2))[1]).toMatch(/114/);
  });

  it('deletion: "xoa du lieu cua toi", confirmed, erases contact and the text', async () => {
    const user = newUser();
    const t = await report(user, 'Cán bộ địa chính xã đòi tiền mới ký hồ sơ, số tôi 0912345678');
    await say(user, 'xoa du lieu cua toi');
    expect((await replies(user, 3))[2]).toMatch(/xóa dữ liệu cá nhân/);
    await say(user, 'co');
    expect((await replies(user, 4))[3]).toMatch(/đã xóa/);
    const [after] = await db().select().from(tickets).where(eq(tickets.id, t.id));
    expect(after!.zaloUserId).toMatch(/^deleted:/);
    expect(after!.content).not.toContain('0912345678');
    expect(after!.status).toBe('da_huy');
  });
});
