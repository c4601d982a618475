import { eq } from 'drizzle-orm';
import { ticketEvents, tickets } from '../src/db/schema';
import { completeIntake } from './support/dialogue';
import { ev, eventually, useTestHotline } from './support/hotline';

let n = 0;
const newUser = () => `84000000000${String(++n).padStart(6, '0')}`;

/** A citizen's text is classified and routed when the ticket opens, and the decision is kept. */
describe('classification and routing of new tickets (pglite)', () => {
  const { h, db } = useTestHotline('pglite', { INTAKE_BURST_MS: '200' });
  const ticketOf = (user: string) =>
    eventually(async () => (await db().select().from(tickets).where(eq(tickets.zaloUserId, user)))[0], 'the ticket');

  it('routes a land matter to the land registration office, with the rule and scores kept', async () => {
    const user = newUser();
    const t = await completeIntake(
      h(),
      db(),
      user,
      'Tôi nộp hồ sơ đăng ký biến động sang tên sổ đỏ ở văn phòng đăng ký đất đai 3 tháng chưa có kết quả',
    );
    expect(t.category).toBe('dat_dai');
    const routing = t.routing as { mode: string; rule: { id: string }; scores: { category: number } };
    if (routing.mode === 'auto') {
      expect(t.unitCode).toBe('van-phong-dang-ky-dat-dai');
      expect(t.status).toBe('da_phan_loai');
      expect(routing.rule.id).toBe('dat-dai');
    } else {
      expect(t.unitCode).toBe('tong-dai');
    }
    expect(routing.scores.category).toBeGreaterThan(0);
    expect(t.routingVersion).toBe(1);
    const events = await db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id));
    const classified = events.find((e) => e.type === 'classified')!;
    expect(classified.data).toMatchObject({ classification: { category: 'dat_dai' }, routingVersion: 1 });
  });

  it('copies alleged misconduct to the inspection team', async () => {
    const user = newUser();
    const t = await completeIntake(
      h(),
      db(),
      user,
      'Cán bộ địa chính phường Cái Khế đòi tôi đưa 5 triệu tiền bồi dưỡng mới chịu ký hồ sơ sổ đỏ',
    );
    expect(t.conduct).toBe(true);
    expect((t.routing as { copyTo: string[] }).copyTo).toContain('kiem-tra-cong-vu');
  });

  it('answers an emergency with 114/113/115 before anything else, and flags the ticket', async () => {
    const user = newUser();
    await h().post(ev.text(user, 'cháy nhà lớn ở hẻm 5 đường Mậu Thân, cứu với!!!'));
    const t = await ticketOf(user);
    expect(t.emergency).toBe(true);
    expect((t.routing as { mode: string }).mode).toBe('emergency');
    await eventually(() => h().zalo.sentLog.list(user).length >= 1, 'the reply');
    // One message: the numbers first, then the tracking code (no confirmation in an emergency).
    const first = String(h().zalo.sentLog.list(user)[0]!.message.text);
    expect(first).toMatch(/114.*113.*115/);
    expect(first.indexOf('114')).toBeLessThan(first.indexOf(t.trackingCode));
  });

  it('greets chit-chat the model is sure of, without a ticket', async () => {
    const user = newUser();
    await h().post(ev.text(user, 'ad ơi tỉ số trận bóng tối qua bao nhiêu vậy'));
    await eventually(() => h().zalo.sentLog.list(user).length >= 1, 'a reply');
    await new Promise((r) => setTimeout(r, 300));
    const opened = await db().select().from(tickets).where(eq(tickets.zaloUserId, user));
    const reply = String(h().zalo.sentLog.list(user)[0]!.message.text);
    // Either the menu (sure it is chit-chat) or a ticket for triage (not sure): never lost.
    if (opened.length === 0) expect(reply).toMatch(/Xin chào/);
    else expect(opened[0]!.unitCode).toBe('tong-dai');
  });
});
