import { DEFAULT_DIALOGUE } from '../src/config/env';
import { vi } from '../src/conversation/catalogue';
import { transition, type Facts, type Input, type State, type StateData } from '../src/conversation/machine';

/**
 * A unit asks for information (notify.ts moves the conversation to adding_info for its ticket) while
 * the citizen is writing a new report: the draft waits, the answer goes to the ticket that asked,
 * and the draft resumes where it was.
 */
const facts: Facts = {
  tickets: [{ id: 7, code: 'PA-2026-000007', status: 'cho_bo_sung', answeredAt: null, rated: false }],
  hasPhone: false,
  consent: 'declined',
};
const ctx = { now: 1_800_000_000_000, facts, settings: DEFAULT_DIALOGUE };
let id = 0;
const text = (t: string): Input => ({ type: 'text', text: t, eventId: ++id, ts: id, stale: false });
const asked = { id: 7, code: 'PA-2026-000007' };
const said = (effects: ReturnType<typeof transition>['effects']) =>
  effects.flatMap((e) =>
    e.type !== 'reply' ? [e.type] : 'text' in e.reply ? [e.reply.text] : [Object.keys(e.reply)[0]],
  );

/** A draft written and summarised, then the unit's question arrives (what notify.ts does to the row). */
function interrupted(summarised: boolean): { state: State; data: StateData } {
  let s = transition('idle', {}, text('Hồ sơ tách thửa nộp ở xã 2 tháng chưa có'), ctx);
  if (summarised) s = transition(s.state, s.data, { type: 'burst_end', rev: s.data.draft!.rev }, ctx);
  return { state: 'adding_info', data: { ...s.data, ticket: asked, unrecognised: 0 } };
}

describe('a unit asks while a new report is being written', () => {
  it('the next message answers the unit, then the summary of the draft comes back', () => {
    const { state, data } = interrupted(true);
    const s = transition(state, data, text('Tôi nộp ngày 3/6, cán bộ tên Minh nhận'), ctx);
    expect(s.effects[0]).toMatchObject({ type: 'add_to_ticket', ticketId: 7 });
    expect(said(s.effects)).toEqual(['add_to_ticket', vi.infoAdded(asked.code), vi.draftResumed, 'summary']);
    expect(s.state).toBe('intake_confirming');
    expect(s.data.ticket).toBeUndefined();
    expect(s.data.draft!.parts.map((p) => p.text)).toEqual(['Hồ sơ tách thửa nộp ở xã 2 tháng chưa có']);
    const done = transition(s.state, s.data, text('có'), ctx);
    expect(done.effects[0]).toMatchObject({ type: 'create_ticket', text: 'Hồ sơ tách thửa nộp ở xã 2 tháng chưa có' });
  });

  it('a draft still being written resumes with its burst timer, which asks what is missing', () => {
    const { state, data } = interrupted(false);
    const s = transition(state, data, text('Bản photo sổ hộ khẩu tôi đã nộp rồi'), ctx);
    expect(s.state).toBe('intake_collecting');
    expect(s.effects.at(-1)).toEqual({ type: 'schedule_burst', rev: data.draft!.rev, complete: true });
    const end = transition(s.state, s.data, { type: 'burst_end', rev: data.draft!.rev }, ctx);
    expect(end.state).toBe('intake_confirming');
  });

  it('a button of the earlier summary still works on the draft; the unit keeps waiting', () => {
    const { state, data } = interrupted(true);
    const s = transition(state, data, text('#xac_nhan'), ctx);
    expect(s.effects[0]).toMatchObject({ type: 'create_ticket' });
    expect(s.effects.some((e) => e.type === 'add_to_ticket')).toBe(false);
  });

  it('a file answers the unit and the conversation stays on its ticket for more files', () => {
    const { state, data } = interrupted(true);
    const file = {
      type: 'attachments',
      eventName: 'user_send_file',
      attachments: [{ type: 'file' }],
      eventId: ++id,
      ts: id,
      stale: false,
    } as Input;
    const s = transition(state, data, file, ctx);
    expect(s.state).toBe('adding_info');
    expect(said(s.effects)).toEqual(['add_to_ticket', vi.attachmentAdded(asked.code, 'tệp')]);
    expect(s.data.draft).toBeDefined();
  });

  it('the same after a rating or a withdrawal asked in the middle; a long message continues the draft', () => {
    const { data } = interrupted(true);
    const rated = transition('rating_pending', data, text('không'), ctx);
    expect(said(rated.effects)).toEqual([vi.ratingThanks, vi.draftResumed, 'summary']);
    const kept = transition('withdraw_confirming', data, text('không'), ctx);
    expect(kept.state).toBe('intake_confirming');
    const more = transition('rating_pending', data, text('ở xã Thới Lai, cán bộ hẹn tuần sau'), ctx);
    expect(more.state).toBe('intake_confirming');
    expect(more.data.draft!.parts).toHaveLength(2);
    expect(more.effects).toEqual([{ type: 'schedule_burst', rev: data.draft!.rev + 1, complete: true }]);
  });

  it('a command about another ticket in the middle of a report comes back to the report', () => {
    const { data } = interrupted(true);
    const { ticket: _t, ...writing } = data;
    const keep = transition('intake_confirming', writing, text('xóa dữ liệu của tôi'), ctx);
    expect(keep.state).toBe('deletion_confirming');
    const no = transition(keep.state, keep.data, text('không'), ctx);
    expect(said(no.effects)).toEqual([vi.deletionKept, vi.draftResumed, 'summary']);
    const none = transition('intake_confirming', writing, text('chưa được giải quyết'), ctx);
    expect(said(none.effects)).toEqual([vi.reopenNone, vi.draftResumed, 'summary']);
  });

  it('a draft left in idle (an older version) is dropped, never resumed later', () => {
    const { data } = interrupted(true);
    const s = transition('idle', { ...data, ticket: undefined }, text('tra cứu'), ctx);
    expect(s.data.draft).toBeUndefined();
  });

  it('without a draft, answering goes back to idle as before', () => {
    const s = transition('adding_info', { ticket: asked }, text('Tôi nộp ngày 3/6'), ctx);
    expect(s.state).toBe('idle');
  });
});
