import { eq } from 'drizzle-orm';
import { deadLetters, outboundMessages, ticketEvents, tickets, zaloTokens } from '../src/db/schema';
import { dbKinds } from './support/harness';
import { APP_ID, ev, eventually, until, useTestHotline } from './support/hotline';

let n = 0;
const newUser = () => `81000000000${String(++n).padStart(6, '0')}`;

/** The outbound path against the stand-in Zalo API: each error class Zalo answers with. */
describe.each(dbKinds())('outbound sends and Zalo errors (%s)', (kind) => {
  const { h, db } = useTestHotline(kind, { INTAKE_BURST_MS: '200' });
  const outboxOf = async (user: string) =>
    db().select().from(outboundMessages).where(eq(outboundMessages.zaloUserId, user));

  it('−230 (window closed): the message is not retried and the ticket records that another channel is needed', async () => {
    const user = newUser();
    await h().post(ev.text(user, 'Hồ sơ chuyển nhượng đất nộp 2 tháng chưa có kết quả'));
    await eventually(() => h().zalo.sentLog.list(user).length === 1, 'the summary');
    // The acknowledgement (the first message tied to the ticket) meets a closed window.
    h().zalo.sentLog.failNext(-230, 1);
    await h().post(ev.text(user, 'có'));
    const row = await eventually(async () => {
      const rows = await outboxOf(user);
      return rows.find((r) => r.status === 'window_closed');
    }, 'window_closed');
    expect(row!.errorCode).toBe('ZALO_WINDOW_CLOSED');
    expect(row!.attempts).toBe(1);
    const [t] = await db().select().from(tickets).where(eq(tickets.zaloUserId, user));
    expect(t!.needsOtherChannelAt).toBeInstanceOf(Date);
    const events = await db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, t!.id));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['received', 'classified', 'channel_needed']));
    expect(h().zalo.sentLog.list(user)).toHaveLength(1);
    expect(
      await db()
        .select()
        .from(deadLetters)
        .where(eq(deadLetters.jobId, `out-${row!.id}`)),
    ).toHaveLength(0);
  });

  it('−32 (rate limited): the queue backs off, then the message is sent once', async () => {
    const user = newUser();
    h().zalo.sentLog.failNext(-32, 2);
    const t0 = Date.now();
    await h().post(ev.text(user, 'Xin cấp lại giấy phép lái xe bị mất, nộp 1 tháng chưa có'));
    await until(() => h().zalo.sentLog.list(user).length === 1, 15000);
    // Two rate-limit answers, each followed by the queue-wide pause (300 ms in tests).
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
    const [row] = await eventually(async () => {
      const rows = await outboxOf(user);
      return rows[0]?.status === 'sent' ? rows : null;
    }, 'sent');
    expect(row!.attempts).toBe(3);
    expect(h().zalo.sentLog.list(user)).toHaveLength(1);
  });

  it('token expired mid-send (−216): one refresh, one retry, the new pair persisted before use', async () => {
    const user = newUser();
    const before = (await db().select().from(zaloTokens).where(eq(zaloTokens.appId, APP_ID)))[0];
    h().zalo.sentLog.failNext(-216, 1);
    await h().post(ev.text(user, 'Đăng ký thường trú cho con, công an phường hẹn 3 lần chưa xong'));
    await until(() => h().zalo.sentLog.list(user).length === 1, 10000);
    const [after] = await db().select().from(zaloTokens).where(eq(zaloTokens.appId, APP_ID));
    expect(after!.accessToken).not.toBe(before?.accessToken ?? 'at-0');
    expect(after!.refreshToken).not.toBe(before?.refreshToken ?? 'rt-0');
    expect(after!.refreshedAt).toBeInstanceOf(Date);
    // The row is marked just after Zalo answers.
    await eventually(async () => (await outboxOf(user))[0]?.status === 'sent', 'row marked sent');
  });

  it('an unknown Zalo error is permanent: no retry, marked failed, copied to the dead-letter table', async () => {
    const user = newUser();
    h().zalo.sentLog.failNext(-999, 1);
    await h().post(ev.text(user, 'Cổng dịch vụ công lỗi thanh toán lệ phí'));
    const [row] = await eventually(async () => {
      const rows = await outboxOf(user);
      return rows[0]?.status === 'failed' ? rows : null;
    }, 'failed');
    expect(row!.attempts).toBe(1);
    const [dead] = await eventually(
      () =>
        db()
          .select()
          .from(deadLetters)
          .where(eq(deadLetters.jobId, `out-${row!.id}`))
          .then((r) => (r.length ? r : null)),
      'dead letter',
    );
    expect(dead!.queue).toBe('outbound');
    expect(dead!.errorCode).toBe('ZALO_REJECTED');
    expect(dead!.errorMessage).toMatch(/-999/);
    expect(dead!.payload).toEqual({ outboundId: row!.id });
    expect(h().zalo.sentLog.list(user)).toHaveLength(0);
  });
});
