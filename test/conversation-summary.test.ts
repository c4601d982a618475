import { DEFAULT_DIALOGUE } from '../src/config/env';
import type { Classification } from '../src/classify/taxonomy';
import { transition, type Draft, type Facts, type Input, type StateData } from '../src/conversation/machine';
import { tidyContent, tidyPart } from '../src/conversation/machine/tidy';
import { renderSummary } from '../src/conversation/render';
import type { Names } from '../src/routing/names';
import type { Understanding } from '../src/understand/understand';

const facts: Facts = { tickets: [], hasPhone: false, consent: 'declined' };
const ctx = { now: 1_800_000_000_000, facts, settings: DEFAULT_DIALOGUE };
let id = 0;
const text = (t: string): Input => ({ type: 'text', text: t, eventId: ++id, ts: id, stale: false });
const names: Names = { unit: () => undefined, commune: (c) => (c === 'phuong-cai-khe' ? 'Phường Cái Khế' : undefined) };

function understanding(c: Partial<Classification>, commune?: string): Understanding {
  const classification: Classification = {
    category: 'khac',
    kind: 'phan_anh',
    conduct: false,
    emergency: false,
    confidence: { category: 0.99, kind: 0.99, conduct: 0.99, emergency: 0.99 },
    ...c,
  };
  return {
    classification,
    decision: {
      mode: 'auto',
      commune,
      copyTo: [],
      rule: null,
      needsCommune: false,
      scores: classification.confidence,
      reason: '',
    },
    routingVersion: 1,
  };
}

/** Writes the messages, ends the burst with this understanding, returns the state and the summary text. */
function summarise(messages: string[], u?: Understanding) {
  let s = { state: 'idle' as Parameters<typeof transition>[0], data: {} as StateData };
  for (const m of messages) s = transition(s.state, s.data, text(m), ctx);
  const end = transition(s.state, s.data, { type: 'burst_end', rev: s.data.draft!.rev, understanding: u }, ctx);
  const summary = end.effects.some((e) => e.type === 'reply' && 'summary' in e.reply)
    ? (renderSummary(end.data.draft as Draft, names) as { text: string }).text
    : undefined;
  return { end, summary };
}

describe('the summary repeats the citizen tidily', () => {
  it.each([
    ['alo', ''],
    ['Dạ em chào anh chị, cho em hỏi làm căn cước cho con cần giấy tờ gì ạ', 'Làm căn cước cho con cần giấy tờ gì ạ'],
    ['cho hoi thu tuc dang ky khai sinh can gi', 'Thu tuc dang ky khai sinh can gi'],
    ['ad ơi, sdd nhà mk nộp 3 tháng r ko thấy j', 'Sổ đỏ nhà mình nộp 3 tháng rồi không thấy gì'],
    // No diacritics typed, none added: the shorthand is written out the way the citizen writes.
    ['ad oi so do nha mk nop 3 thang r ko thay j', 'So do nha minh nop 3 thang roi khong thay gi'],
    ['Chào tổng đài, tôi nộp hồ sơ ở ubnd phường', 'Tôi nộp hồ sơ ở UBND phường'],
    ['vneid bị lỗi đc ko', 'VNeID bị lỗi được không'],
    // "Đã" is not "dạ", and "500 k" is an amount.
    ['Đã nộp hồ sơ 2 tháng', 'Đã nộp hồ sơ 2 tháng'],
    ['da nop ho so 2 thang', 'Da nop ho so 2 thang'],
    ['le phi lam cccd 500 k', 'Le phi lam CCCD 500 k'],
  ])('"%s" → "%s"', (typed, shown) => expect(tidyContent([typed])).toBe(shown));

  it('joins the messages of a burst, openers left out', () => {
    expect(tidyPart('cho em hỏi với')).toBe('');
    expect(tidyContent(['alo', 'cho hỏi', 'làm căn cước cho con 2 tháng chưa có', 'công an hẹn hoài'])).toBe(
      'Làm căn cước cho con 2 tháng chưa có công an hẹn hoài',
    );
  });

  it('a question is labelled Hỏi đáp, with the canonical category and commune names', () => {
    const u = understanding({ category: 'ho_tich', kind: 'hoi_dap' }, 'phuong-cai-khe');
    const { summary } = summarise(['alo', 'cho hoi thu tuc dang ky khai sinh can gi'], u);
    expect(summary).toContain('• Nội dung: Thu tuc dang ky khai sinh can gi\n');
    expect(summary).toContain('• Loại: Hỏi đáp – Hộ tịch\n');
    expect(summary).toContain('• Xã/phường: Phường Cái Khế');
  });

  it('"cho hỏi" alone is an opening: no summary, the menu asks for the content', () => {
    const { end, summary } = summarise(['cho hỏi'], understanding({ kind: 'ngoai_pham_vi' }));
    expect(summary).toBeUndefined();
    expect(end.state).toBe('intake_collecting');
    expect(end.data.draft?.asked).toBe('content');
  });

  it('a confirmed question is acknowledged as a question; the ticket keeps the text as typed', () => {
    const u = understanding({ category: 'cu_tru', kind: 'hoi_dap' });
    const { end } = summarise(['ad ơi', 'làm căn cước cho con cần giấy tờ gì'], u);
    const done = transition(end.state, end.data, text('có'), ctx);
    const create = done.effects.find((e) => e.type === 'create_ticket');
    expect(create).toMatchObject({ text: 'làm căn cước cho con cần giấy tờ gì' });
    const said = done.effects.flatMap((e) => (e.type === 'reply' && 'text' in e.reply ? [e.reply.text] : []));
    expect(said[0]).toMatch(/^Tổng đài đã tiếp nhận câu hỏi của Anh\/Chị\. Mã tra cứu: \{code\}/);
  });
});

describe('"Hỏi thủ tục" chosen from the menu', () => {
  it('the summary and the ticket say Hỏi đáp even where the model read a report; a proposal stays one', () => {
    const start = transition('idle', {}, text('#hoi_thu_tuc'), ctx);
    const wrote = transition(start.state, start.data, text('đăng ký tạm trú'), ctx);
    const end = transition(
      wrote.state,
      wrote.data,
      {
        type: 'burst_end',
        rev: wrote.data.draft!.rev,
        understanding: understanding({ category: 'cu_tru', kind: 'phan_anh' }),
      },
      ctx,
    );
    expect((renderSummary(end.data.draft as Draft, names) as { text: string }).text).toContain('Loại: Hỏi đáp');
    const done = transition(end.state, end.data, text('có'), ctx);
    const create = done.effects.find((e) => e.type === 'create_ticket');
    expect(create).toMatchObject({ understanding: { classification: { kind: 'hoi_dap' } } });
    const proposal = { ...(end.data.draft as Draft), understanding: understanding({ kind: 'kien_nghi' }) };
    expect((renderSummary(proposal, names) as { text: string }).text).toContain('Loại: Kiến nghị');
  });
});

describe('attachments in the summary', () => {
  it('are counted as ảnh and tệp', () => {
    const draft: Draft = {
      rev: 3,
      mode: 'report',
      parts: [{ eventId: 1, ts: 1, text: 'giấy hẹn và đơn đây' }],
      attachments: [
        { eventId: 2, attachments: [{ type: 'image' }, { type: 'image' }] },
        { eventId: 3, attachments: [{ type: 'file' }] },
      ],
      communeAsks: 0,
      understanding: understanding({ category: 'dat_dai' }),
    };
    expect((renderSummary(draft, names) as { text: string }).text).toContain('• Đính kèm: 2 ảnh, 1 tệp\n');
  });
});
