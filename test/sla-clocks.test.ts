import { defaultCalendar } from '../src/sla/calendar-data';
import { computeClocks, reminderTimes } from '../src/sla/clocks';
import { loadSlaPolicy, slaPolicySchema } from '../src/sla/policy';
import { clockStatusText, lateAnswerNotice } from '../src/sla/display';
import { formatVn } from '../src/sla/vn-time';

const cal = defaultCalendar();
const policy = loadSlaPolicy('can-tho');
const at = (s: string) => new Date(`${s.replace(' ', 'T')}:00+07:00`);
const f = (d: Date | null | undefined) => (d ? formatVn(d) : d);

describe('computeClocks (pure: facts, policy, calendar → due times)', () => {
  it('starts every clock at receipt: first response, forward in 5 working days, answer in 20 days', () => {
    const c = computeClocks({ receivedAt: at('2026-03-02 09:00') }, policy, cal);
    expect(f(c.firstResponse.dueAt)).toBe('2026-03-02T11:00:00+07:00');
    expect(f(c.forward.dueAt)).toBe('2026-03-09T17:00:00+07:00');
    expect(f(c.answer.dueAt)).toBe('2026-03-23T17:00:00+07:00'); // day 20 is a Sunday
    expect(f(c.nextProgressUpdateAt)).toBe('2026-03-09T09:00:00+07:00');
    expect(c.publish).toBeUndefined();
  });

  it('a first response target counts office minutes only (received at lunch, Friday afternoon)', () => {
    expect(f(computeClocks({ receivedAt: at('2026-03-02 12:00') }, policy, cal).firstResponse.dueAt)).toBe(
      '2026-03-02T15:30:00+07:00',
    );
    expect(f(computeClocks({ receivedAt: at('2026-03-06 16:30') }, policy, cal).firstResponse.dueAt)).toBe(
      '2026-03-09T09:00:00+07:00',
    );
  });

  it('a transfer on day 4 gives the new unit its own 20 days; the receipt date is kept', () => {
    const facts = { receivedAt: at('2026-03-02 09:00'), assignedAt: at('2026-03-06 10:00') };
    const c = computeClocks(facts, policy, cal);
    expect(f(c.forward.dueAt)).toBe('2026-03-09T17:00:00+07:00'); // forwarded on day 4: in time
    expect(f(c.answer.startedAt)).toBe('2026-03-06T10:00:00+07:00');
    expect(f(c.answer.dueAt)).toBe('2026-03-26T17:00:00+07:00');
    expect(f(c.firstResponse.startedAt)).toBe('2026-03-02T09:00:00+07:00');
  });

  it('a pause for missing information stops the clocks and lengthens them by the time waited', () => {
    const pause = { from: at('2026-03-04 10:00') };
    const open = computeClocks({ receivedAt: at('2026-03-02 09:00'), pauses: [pause] }, policy, cal);
    expect(open.answer.dueAt).toBeNull();
    expect(open.forward.dueAt).toBeNull();
    const resumed = computeClocks(
      { receivedAt: at('2026-03-02 09:00'), pauses: [{ ...pause, to: at('2026-03-09 15:00') }] },
      policy,
      cal,
    );
    expect(f(resumed.answer.dueAt)).toBe('2026-03-27T17:00:00+07:00'); // 20 + 5 days
    expect(f(resumed.forward.dueAt)).toBe('2026-03-12T17:00:00+07:00'); // 5 + 3 working days
  });

  it('per-category overrides: a 3-working-day answer across Tết 2026', () => {
    const c = computeClocks({ receivedAt: at('2026-02-12 09:00'), category: 'dich_vu_cong' }, policy, cal);
    expect(c.answer.basis).toEqual({ count: 'working', days: 3 });
    expect(f(c.answer.dueAt)).toBe('2026-02-24T17:00:00+07:00');
    expect(
      computeClocks({ receivedAt: at('2026-02-12 09:00'), category: 'cong_vu' }, policy, cal).policy,
    ).toMatchObject({ escalateAfterWorkingDays: 1, answer: { days: 20, count: 'calendar' } });
  });

  it('publish within 2 working days of the answer; no more progress updates once answered', () => {
    const c = computeClocks({ receivedAt: at('2026-03-02 09:00'), answeredAt: at('2026-04-29 16:00') }, policy, cal);
    expect(f(c.publish?.dueAt)).toBe('2026-05-05T17:00:00+07:00'); // 30/4–3/5 off
    expect(c.nextProgressUpdateAt).toBeNull();
  });

  it('reminders: warn at 75 % of the working time, notice at due, escalate 3 working days later', () => {
    const r = reminderTimes(
      at('2026-03-02 09:00'),
      at('2026-03-09 17:00'),
      { warnAtFraction: 0.75, escalateAfterWorkingDays: 3 },
      cal,
    );
    expect(f(r.warn)).toBe('2026-03-06T13:37:00+07:00');
    expect(f(r.due)).toBe('2026-03-09T17:00:00+07:00');
    expect(f(r.escalate)).toBe('2026-03-12T17:00:00+07:00');
  });

  it('the policy file is validated', () => {
    expect(
      slaPolicySchema.safeParse({ ...policy, reminders: { ...policy.reminders, warnAtFraction: 1.5 } }).success,
    ).toBe(false);
    expect(slaPolicySchema.safeParse({ ...policy, answer: { days: 20, count: 'weeks' } }).success).toBe(false);
  });
});

describe('display and the late-answer apology', () => {
  const calendarClock = { status: 'running', dueAt: at('2026-03-23 17:00'), basis: { count: 'calendar', days: 20 } };
  const workingClock = { status: 'running', dueAt: at('2026-02-27 17:00'), basis: { count: 'working', days: 5 } };
  it('shows "còn N ngày làm việc" / "quá hạn N ngày" / due today / paused', () => {
    expect(clockStatusText(workingClock, at('2026-02-13 10:00'), cal)).toBe('còn 5 ngày làm việc');
    expect(clockStatusText(workingClock, at('2026-02-27 09:00'), cal)).toBe('đến hạn hôm nay');
    expect(clockStatusText(workingClock, at('2026-03-03 09:00'), cal)).toBe('quá hạn 2 ngày');
    expect(clockStatusText(calendarClock, at('2026-03-30 09:00'), cal)).toBe('quá hạn 7 ngày');
    expect(clockStatusText({ ...calendarClock, status: 'paused', dueAt: null }, at('2026-03-30 09:00'), cal)).toBe(
      'tạm dừng, chờ bổ sung thông tin',
    );
  });
  it('form 04: apology with a new date in working days', () => {
    const r = lateAnswerNotice(
      {
        agency: 'Sở Xây dựng',
        trackingCode: 'PA-2026-000123',
        receivedAt: at('2026-01-28 09:00'),
        dueAt: at('2026-02-23 17:00'),
        reason: 'cần xác minh thực địa',
        now: at('2026-02-24 09:00'),
        extraWorkingDays: 5,
      },
      cal,
    );
    expect(formatVn(r.newDueAt)).toBe('2026-03-03T17:00:00+07:00');
    expect(r.text).toContain('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
    expect(r.text).toContain('tiếp nhận ngày 28/01/2026, hẹn trả lời ngày 23/02/2026');
    expect(r.text).toContain('xin hẹn lại ngày trả lời là ngày 03/03/2026');
  });
});
