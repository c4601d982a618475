import { eq } from 'drizzle-orm';
import { conversations, inboundEvents, outboundMessages, ticketEvents, tickets } from '../src/db/schema';
import { dbKinds } from './support/harness';
import { completeIntake, drained } from './support/dialogue';
import { APP_ID, ev, eventually, OA_SECRET, until, useTestHotline } from './support/hotline';
import { computeSignature } from '../webhooks/signature';

let n = 0;
const newUser = () => `80000000000${String(++n).padStart(6, '0')}`;

describe.each(dbKinds())('webhook → workers → Zalo (%s)', (kind) => {
  // A short burst window: these tests are about the path, not about how long a person types.
  const { h, db } = useTestHotline(kind, { INTAKE_BURST_MS: '200' });
  const sentTo = (user: string) => h().zalo.sentLog.list(user);
  const ticketsOf = (user: string) => db().select().from(tickets).where(eq(tickets.zaloUserId, user));
  const settled = async (user: string, count: number) => {
    await until(() => sentTo(user).length >= count, 10000);
    await new Promise((r) => setTimeout(r, 300));
    return sentTo(user);
  };

  it('opens a ticket for a signed complaint once confirmed and replies with its tracking code', async () => {
    const user = newUser();
    const t = await completeIntake(h(), db(), user, 'Tôi nộp hồ sơ cấp đổi sổ đỏ từ tháng 6, đến nay chưa có kết quả.');
    const sent = await drained(h(), user);
    expect(sent).toHaveLength(2);
    expect(t.trackingCode).toMatch(/^PA-\d{4}-\d{6}$/);
    expect(sent[1]!.message.text).toContain(t.trackingCode);
    const events = await db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id));
    expect(events.map((e) => e.type).slice(0, 2)).toEqual(['received', 'classified']);
    const out = await eventually(async () => {
      const rows = await db().select().from(outboundMessages).where(eq(outboundMessages.ticketId, t.id));
      return rows.find((r) => r.status === 'sent' && r.zaloMessageId === sent[1]!.messageId);
    }, 'the acknowledgement marked sent');
    expect(out.zaloUserId).toBe(user);
  });

  it('decomposed (NFD) text is stored as NFC', async () => {
    const user = newUser();
    const t = await completeIntake(h(), db(), user, 'Hồ sơ đất đai của tôi nộp 3 tháng bị trễ hẹn'.normalize('NFD'));
    expect(t.content).toBe('Hồ sơ đất đai của tôi nộp 3 tháng bị trễ hẹn'.normalize('NFC'));
  });

  it('the same msg_id delivered again, even at once, gives one summary, then one ticket and one acknowledgement', async () => {
    const user = newUser();
    const event = ev.text(user, 'Làm căn cước cho con 2 tháng chưa có, cán bộ hẹn mãi.');
    const statuses = await Promise.all([h().post(event), h().post(event), h().post(event)]);
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200]);
    await settled(user, 1);
    expect((await h().post(event)).status).toBe(200);
    expect(await drained(h(), user)).toHaveLength(1);
    const yes = ev.text(user, 'có');
    await Promise.all([h().post(yes), h().post(yes)]);
    await settled(user, 2);
    expect((await h().post(yes)).status).toBe(200);
    expect(await drained(h(), user)).toHaveLength(2);
    expect(await ticketsOf(user)).toHaveLength(1);
  });

  it('a forged, missing or other-app signature gets 401 and stores nothing', async () => {
    const user = newUser();
    const event = ev.text(user, 'tin giả mạo');
    const raw = JSON.stringify(event);
    const forged = await h().post(event, {
      raw,
      signature: `mac=${computeSignature(APP_ID, raw, event.timestamp, 'wrong')}`,
    });
    const missing = await fetch(`${h().url}/webhooks/zalo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw,
    });
    const otherApp = { ...event, app_id: '42' };
    const otherRaw = JSON.stringify(otherApp);
    const other = await h().post(otherApp, {
      raw: otherRaw,
      signature: `mac=${computeSignature('42', otherRaw, event.timestamp, OA_SECRET)}`,
    });
    // A body changed after signing (one byte) must fail too.
    const tampered = await h().post(event, {
      raw: raw.replace('giả', 'gia'),
      signature: `mac=${computeSignature(APP_ID, raw, event.timestamp, OA_SECRET)}`,
    });
    expect([forged.status, missing.status, other.status, tampered.status]).toEqual([401, 401, 401, 401]);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('WEBHOOK_BAD_SIGNATURE');
    await new Promise((r) => setTimeout(r, 500));
    expect(sentTo(user)).toHaveLength(0);
    expect(await db().select().from(inboundEvents).where(eq(inboundEvents.zaloUserId, user))).toHaveLength(0);
  });

  it('accepts the bare hex form of the signature', async () => {
    const user = newUser();
    const event = ev.text(user, 'Hồ sơ khai sinh nộp online 10 ngày chưa duyệt');
    const raw = JSON.stringify(event);
    const res = await h().post(event, { raw, signature: computeSignature(APP_ID, raw, event.timestamp, OA_SECRET) });
    expect(res.status).toBe(200);
    await settled(user, 1);
  });

  it('rejects malformed JSON with 400, non-events with 400 and oversized bodies with 413', async () => {
    const post = (body: string) =>
      fetch(`${h().url}/webhooks/zalo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-zevent-signature': 'mac=00' },
        body,
      });
    const bad = await post('{"app_id": "1", ');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('WEBHOOK_BAD_JSON');
    const notEvent = await post('[1,2,3]');
    expect(notEvent.status).toBe(400);
    expect(((await notEvent.json()) as { error: { code: string } }).error.code).toBe('WEBHOOK_NOT_AN_EVENT');
    const numericTs = await post(
      JSON.stringify({ app_id: APP_ID, event_name: 'user_send_text', timestamp: 1718000100000 }),
    );
    expect(numericTs.status).toBe(400);
    const huge = await post(JSON.stringify({ ...ev.text(newUser(), 'x'.repeat(300 * 1024)) }));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('WEBHOOK_TOO_LARGE');
  });

  it('greets instead of opening a ticket for "alo" and thanks', async () => {
    const user = newUser();
    await h().post(ev.text(user, 'alo'));
    const [menu] = await settled(user, 1);
    expect(menu!.message.text).toMatch(/Xin chào/);
    const buttons = (menu!.message.attachment as unknown as { payload: { buttons: Array<{ title: string }> } }).payload
      .buttons;
    expect(buttons.map((b) => b.title)).toEqual(['Gửi phản ánh', 'Tra cứu', 'Hỏi thủ tục', 'Gặp tổng đài viên']);
    await h().post(ev.text(user, 'cam on ad nhe'));
    await settled(user, 2);
    expect(await ticketsOf(user)).toHaveLength(0);
  });

  it('a signed event that fails its schema is stored as invalid and acknowledged', async () => {
    const user = newUser();
    const event = ev.text(user, 'x');
    // A number where Zalo promises a string: JSON.parse would lose digits, so it must not pass as an id.
    const raw = JSON.stringify(event).replace(`"msg_id":"${event.message.msg_id}"`, '"msg_id":12345678901234567890');
    const res = await h().post(event, { raw });
    expect(res.status).toBe(200);
    const row = await until(
      async () => (await db().select().from(inboundEvents).where(eq(inboundEvents.zaloUserId, user)))[0],
    );
    expect(row!.status).toBe('invalid');
    expect(row!.problem).toMatch(/msg_id/);
    expect(row!.raw).toContain('12345678901234567890');
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(user)).toHaveLength(0);
  });

  it('handles every event type zalo-oa.md lists', async () => {
    const user = newUser();
    const stored = async (name: string) =>
      until(async () => {
        const rows = await db().select().from(inboundEvents).where(eq(inboundEvents.zaloUserId, user));
        const done = rows.filter((r) => r.eventName === name && r.status !== 'received');
        return done.length ? done : null;
      });
    const post = async (event: object) => expect((await h().post(event)).status).toBe(200);

    await post(ev.follow(user));
    const [welcome] = await settled(user, 1);
    expect(welcome!.message.text).toMatch(/Chào mừng/);

    // Files before any words: kept for the intake, and the citizen is asked for the content.
    for (const e of [
      ev.image(user),
      ev.file(user),
      ev.media('user_send_audio', 'audio', user),
      ev.media('user_send_video', 'video', user),
      ev.media('user_send_link', 'link', user),
      ev.media('user_send_gif', 'gif', user),
    ]) {
      await post(e);
    }
    const asked = await drained(h(), user);
    expect(asked.slice(1).every((m) => /nhắn thêm nội dung/.test(String(m.message.text)))).toBe(true);
    const t = await completeIntake(
      h(),
      db(),
      user,
      'Cán bộ một cửa phường Ninh Kiều đòi tiền bồi dưỡng mới nhận hồ sơ',
    );
    const attached = await db().select().from(ticketEvents).where(eq(ticketEvents.ticketId, t.id));
    expect(attached.filter((e) => e.type === 'attachment_received')).toHaveLength(6);
    await drained(h(), user);

    await post(ev.location(user));
    await until(async () => {
      const [c] = await db().select().from(conversations).where(eq(conversations.zaloUserId, user));
      return c?.stateData.lastLocation;
    });
    const [conv] = await db().select().from(conversations).where(eq(conversations.zaloUserId, user));
    expect(conv!.stateData.lastLocation).toEqual({ coordinates: { latitude: '10.0341', longitude: '105.7880' } });

    await post(ev.submitInfo(user));
    const replied = (await drained(h(), user)).length;

    // Receipts name Zalo's message ids, which we record once the send returns.
    await until(async () => {
      const rows = await db().select().from(outboundMessages).where(eq(outboundMessages.zaloUserId, user));
      return rows.length === replied && rows.every((r) => r.status === 'sent');
    });
    const firstId = sentTo(user)[0]!.messageId;
    const secondId = sentTo(user)[1]!.messageId;
    await post(ev.received(user, firstId));
    await post(ev.seen(user, [secondId]));
    await stored('user_seen_message');
    await stored('user_received_message');
    const outs = await db().select().from(outboundMessages).where(eq(outboundMessages.zaloUserId, user));
    expect(outs.find((o) => o.zaloMessageId === firstId)!.status).toBe('delivered');
    expect(outs.find((o) => o.zaloMessageId === secondId)!.status).toBe('seen');

    await post(ev.media('user_send_sticker', 'sticker', user));
    await post(ev.media('user_send_business_card', 'business_card', user));
    await post(ev.reacted(user, firstId));
    await post(ev.echo(user, 'Cán bộ đã tiếp nhận.'));
    await post({ ...ev.text(user, 'x'), event_name: 'some_future_event' });
    for (const name of [
      'user_send_sticker',
      'user_send_business_card',
      'user_reacted_message',
      'oa_send_text',
      'some_future_event',
    ]) {
      const [row] = (await stored(name)) ?? [{ status: 'missing' }];
      expect([name, row!.status]).toEqual([name, 'ignored']);
    }

    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(user)).toHaveLength(replied);

    // Withdrawing consent starts the deletion flow: the citizen is asked to confirm.
    await post(ev.withdraw(user));
    await stored('user_withdraw');
    const [asking] = await settled(user, replied + 1).then((s) => s.slice(replied));
    expect(asking!.message.text).toMatch(/xóa/i);
    const [after] = await db().select().from(conversations).where(eq(conversations.zaloUserId, user));
    expect(after!.state).toBe('deletion_confirming');

    await post(ev.unfollow(user));
    await stored('unfollow');
    const [gone] = await db().select().from(conversations).where(eq(conversations.zaloUserId, user));
    expect(gone!.following).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(sentTo(user)).toHaveLength(replied + 1);
  });

  it('the audit trail refuses edits', async () => {
    const user = newUser();
    const t = await completeIntake(h(), db(), user, 'Đăng ký kết hôn ở phường Cái Khế nộp 2 tuần chưa có giấy');
    const attempt = db().update(ticketEvents).set({ type: 'x' }).where(eq(ticketEvents.ticketId, t!.id));
    const error = await attempt.then(
      () => null,
      (e: Error & { cause?: Error }) => e,
    );
    expect(String(error?.cause?.message ?? error?.message)).toMatch(/append-only/);
    const del = await db()
      .delete(ticketEvents)
      .where(eq(ticketEvents.ticketId, t!.id))
      .then(
        () => null,
        (e: Error & { cause?: Error }) => e,
      );
    expect(String(del?.cause?.message ?? del?.message)).toMatch(/append-only/);
  });
});
