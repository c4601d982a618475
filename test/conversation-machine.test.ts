import { DEFAULT_DIALOGUE } from '../src/config/env';
import { CONTACT_NOTICE, CONTACT_NOTICE_HISTORY } from '../src/conversation/catalogue';
import { transition, type Facts, type Input, type StateData } from '../src/conversation/machine';
import { parseCommand } from '../src/conversation/parse/commands';
import { parseVnMobile } from '../src/conversation/parse/phone';
import { parseRating } from '../src/conversation/parse/rating';
import { parseYesNo } from '../src/conversation/parse/yes-no';
import { parseTrackingCode } from '../src/tickets/tracking-code';

const facts: Facts = { tickets: [], hasPhone: false, consent: null };
const ctx = { now: 1_800_000_000_000, facts, settings: DEFAULT_DIALOGUE };
const text = (t: string, extra: Partial<Input> = {}): Input =>
  ({ type: 'text', text: t, eventId: 1, ts: 1, stale: false, ...extra }) as Input;

describe('parsers', () => {
  it('yes/no with or without diacritics and shorthand', () => {
    for (const y of ['có', 'co', 'Đồng ý', 'dong y', 'ok', 'ừ', 'uh', 'dc', 'đc', 'có ạ', 'dạ', '#dong_y'])
      expect([y, parseYesNo(y)]).toEqual([y, 'yes']);
    for (const no of ['không', 'khong', 'ko', 'k', 'Không ạ', '#khong'])
      expect([no, parseYesNo(no)]).toEqual([no, 'no']);
    for (const x of ['', 'có lẽ tôi sẽ gửi sau khi hỏi lại', '😀', 'sổ đỏ']) expect(parseYesNo(x)).toBeNull();
  });
  it('tracking codes in any spelling', () => {
    for (const c of [
      'pa2026000123',
      'PA 2026 123',
      'pa-2026-000123',
      'Mã: PA.2026.123',
      'pa–2026–123',
      'ＰＡ２０２６０００１２３',
    ])
      expect([c, parseTrackingCode(c)]).toEqual([c, 'PA-2026-000123']);
    expect(parseTrackingCode('pa2026')).toBeNull();
    expect(parseTrackingCode('papa 2026 0')).toBeNull();
  });
  it('Vietnamese mobile numbers', () => {
    expect(parseVnMobile('0912 345 678')).toBe('0912345678');
    expect(parseVnMobile('+84 912.345.678')).toBe('0912345678');
    expect(parseVnMobile('84389999999')).toBe('0389999999');
    for (const bad of ['0212345678', '091234567', '123', '02923812345']) expect(parseVnMobile(bad)).toBeNull();
  });
  it('ratings', () => {
    expect(['5', '5 sao', '4*', '3/5', 'năm sao', '⭐⭐'].map(parseRating)).toEqual([5, 5, 4, 3, 5, 2]);
    expect(['6', '0', 'tốt', ''].map(parseRating)).toEqual([null, null, null, null]);
  });
  it('commands are short; a long complaint that mentions "tra cứu" is content', () => {
    expect(parseCommand('tra cứu')).toEqual({ kind: 'lookup', code: undefined });
    expect(parseCommand('kiem tra ho so PA2026000007')).toEqual({ kind: 'lookup', code: 'PA-2026-000007' });
    expect(parseCommand('xóa dữ liệu của tôi')).toEqual({ kind: 'delete_data' });
    expect(parseCommand('gap tong dai vien')).toEqual({ kind: 'handoff' });
    expect(parseCommand('tôi tra cứu trên cổng dịch vụ công mà không thấy hồ sơ của tôi đâu cả')).toBeNull();
  });
});

describe('the machine', () => {
  it('content starts a draft and schedules the burst timer, with no reply yet', () => {
    const s = transition('idle', {}, text('Hồ sơ đất đai nộp 3 tháng chưa có'), ctx);
    expect(s.state).toBe('intake_collecting');
    expect(s.effects).toEqual([{ type: 'schedule_burst', rev: 1, complete: true }]);
  });
  it('an opening waits the whole burst; the text that completes the complaint only the short settle', () => {
    const hello = transition('idle', {}, text('alo'), ctx);
    const ask = transition(hello.state, hello.data, text('cho hỏi', { eventId: 2, ts: 2 }), ctx);
    expect(ask.effects).toEqual([{ type: 'schedule_burst', rev: 2, complete: false }]);
    const matter = transition(
      ask.state,
      ask.data,
      text('làm căn cước cho con 2 tháng chưa có', { eventId: 3, ts: 3 }),
      ctx,
    );
    expect(matter.effects).toEqual([{ type: 'schedule_burst', rev: 3, complete: true }]);
  });
  it('an older burst timer does nothing', () => {
    const data = transition('idle', {}, text('Hồ sơ đất đai nộp 3 tháng chưa có'), ctx).data;
    const more = transition('intake_collecting', data, text('ở phường Cái Khế', { eventId: 2, ts: 2 }), ctx);
    const old = transition('intake_collecting', more.data, { type: 'burst_end', rev: 1 }, ctx);
    expect(old.effects).toEqual([]);
    const current = transition('intake_collecting', more.data, { type: 'burst_end', rev: 2 }, ctx);
    expect(current.state).toBe('intake_confirming');
    expect(current.effects).toEqual([{ type: 'reply', reply: { summary: true } }]);
  });
  it('a file sent while the contact question is open joins the ticket just created', () => {
    const data: StateData = { ticket: { id: 7, code: 'PA-2026-000007' } };
    const files: Input = {
      type: 'attachments',
      eventName: 'user_send_image',
      attachments: [{ type: 'image', payload: { url: 'https://f1.zdn.vn/a.jpg' } }],
      eventId: 9,
      ts: 9,
    } as Input;
    const s = transition('consent_pending', data, files, ctx);
    expect(s.state).toBe('consent_pending');
    expect(s.effects[0]).toMatchObject({ type: 'add_to_ticket', ticketId: 7, eventId: 9 });
  });
  it('a stale "có" never confirms', () => {
    let data: StateData = transition('idle', {}, text('Hồ sơ đất đai nộp 3 tháng chưa có'), ctx).data;
    data = transition('intake_collecting', data, { type: 'burst_end', rev: 1 }, ctx).data;
    const s = transition('intake_confirming', data, text('có', { stale: true, ts: 0 }), ctx);
    expect(s.effects.some((e) => e.type === 'create_ticket')).toBe(false);
  });
  it('spam: a notice once, then silence', () => {
    let data: StateData = {};
    const settings = { ...DEFAULT_DIALOGUE, spamMaxPerMinute: 2 };
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const s = transition('idle', data, text(`mua bán đất nền giá rẻ liên hệ ngay ${i}`), { ...ctx, settings });
      data = s.data;
      seen.push(s.effects.map((e) => e.type).join(','));
    }
    expect(seen).toEqual(['schedule_burst', 'schedule_burst', 'reply', '', '']);
  });
});

describe('files while an operator holds the conversation', () => {
  const open: Facts = {
    tickets: [{ id: 7, code: 'PA-2026-000007', status: 'dang_xu_ly', answeredAt: null, rated: false }],
    hasPhone: false,
    consent: 'declined',
  };
  const files = (eventId: number, type = 'image', now = ctx.now): [Input, typeof ctx] => [
    {
      type: 'attachments',
      eventName: `user_send_${type}`,
      attachments: [{ type, payload: { url: `https://f1.zdn.vn/${eventId}` } }],
      eventId,
      ts: eventId,
      stale: false,
    } as Input,
    { ...ctx, now, facts: open },
  ];
  const said = (s: ReturnType<typeof transition>) =>
    s.effects.flatMap((e) => (e.type === 'reply' && 'text' in e.reply ? [e.reply.text] : []));

  it('join the open ticket; a burst gets one acknowledgement naming ảnh or tệp', () => {
    const first = transition('handoff', {}, ...files(1));
    expect(first.state).toBe('handoff');
    expect(first.effects[0]).toMatchObject({ type: 'add_to_ticket', ticketId: 7, eventId: 1 });
    expect(said(first)).toEqual([
      'Tổng đài đã nhận ảnh và bổ sung vào phản ánh PA-2026-000007. Tổng đài viên sẽ xem khi trả lời Anh/Chị.',
    ]);
    const second = transition('handoff', first.data, ...files(2, 'file', ctx.now + 3000));
    expect(second.effects).toEqual([
      { type: 'add_to_ticket', ticketId: 7, eventId: 2, attachments: [expect.objectContaining({ type: 'file' })] },
    ]);
    const later = transition('handoff', second.data, ...files(3, 'file', ctx.now + 120_000));
    expect(said(later)).toEqual([
      'Tổng đài đã nhận tệp và bổ sung vào phản ánh PA-2026-000007. Tổng đài viên sẽ xem khi trả lời Anh/Chị.',
    ]);
  });
  it('without an open ticket: acknowledged, nothing else; text stays silent', () => {
    const [input, c] = files(4);
    const s = transition('handoff', {}, input, { ...c, facts });
    expect(s.effects).toEqual([
      { type: 'reply', reply: { text: 'Tổng đài đã nhận ảnh. Tổng đài viên sẽ xem khi trả lời Anh/Chị.' } },
    ]);
    expect(transition('handoff', {}, text('alo có ai không'), c).effects).toEqual([]);
  });
});

describe('attachment wording', () => {
  it('says ảnh for images and tệp for files', () => {
    const data: StateData = { ticket: { id: 7, code: 'PA-2026-000007' } };
    const input = (type: string): Input =>
      ({ type: 'attachments', eventName: 'x', attachments: [{ type }], eventId: 9, ts: 9, stale: false }) as Input;
    const text = (s: ReturnType<typeof transition>) =>
      s.effects.flatMap((e) => (e.type === 'reply' && 'text' in e.reply ? [e.reply.text] : []))[0];
    expect(text(transition('adding_info', data, input('image'), ctx))).toMatch(/đã nhận ảnh Anh\/Chị gửi/);
    expect(text(transition('adding_info', data, input('file'), ctx))).toMatch(/đã nhận tệp Anh\/Chị gửi/);
    const draft = transition('idle', {}, input('image'), ctx);
    const asked = transition(draft.state, draft.data, { type: 'burst_end', rev: draft.data.draft!.rev }, ctx);
    expect(text(asked)).toMatch(/^Tổng đài đã nhận ảnh Anh\/Chị gửi\./);
  });
});

describe('the contact notice (Law 91/2025)', () => {
  it('is short and says purpose, who, optional and how to withdraw; its version moved with the wording', () => {
    const sentences = CONTACT_NOTICE.text.split(/(?<=[.?!])\s+/);
    expect(sentences.length).toBeLessThanOrEqual(3);
    expect(CONTACT_NOTICE.text.length).toBeLessThan(260);
    expect(CONTACT_NOTICE.text).toMatch(/gọi lại/);
    expect(CONTACT_NOTICE.text).toMatch(/Tổng đài chỉ dùng số này/);
    expect(CONTACT_NOTICE.text).toMatch(/không bắt buộc/);
    const withdraw = /nhắn "([^"]+)"/.exec(CONTACT_NOTICE.text)![1]!;
    expect(parseCommand(withdraw)).toEqual({ kind: 'delete_data' });
    expect(CONTACT_NOTICE.version).toBe('contact-callback-v2');
    expect(CONTACT_NOTICE_HISTORY['contact-callback-v2']).toBe(CONTACT_NOTICE.text);
    expect(CONTACT_NOTICE_HISTORY['contact-callback-v1']).toMatch(/ảnh căn cước/);
  });
});
