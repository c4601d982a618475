import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { verifySignature } from '../webhooks/signature';
import { createFakeZaloRouter, SentLog, startFakeZaloServer, type FakeZaloServer } from '../src/sandbox/fake-zalo-api';
import { createSandboxRouter, SANDBOX_CSP } from '../src/sandbox/routes';

const APP_ID = '1000000000000000001';
const OA_ID = '2000000000000000002';
const SECRET = 'sandbox-oa-secret-key';
const USER = '2468458835296197922';

function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1');
    server.once('error', reject);
    server.once('listening', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

type ZaloAnswer = { error: number; message: string; data: Record<string, string> };
type ApiError = { error: { code: string; message: string } };
type MessageList = {
  messages: Array<{ seq: number; userId: string; messageId: string; message: unknown }>;
  lastSeq: number;
};
/** fetch's json() is untyped: the tests name the shape they expect. */
const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T;

const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('fake Zalo API', () => {
  let fake: FakeZaloServer;
  const send = (body: unknown, token: string | null = 'tok') =>
    postJson(`${fake.url}/v3.0/oa/message/cs`, body, token ? { access_token: token } : {});

  beforeAll(async () => {
    fake = await startFakeZaloServer();
  });
  afterAll(() => fake.close());

  test('issues tokens on the form-encoded OAuth v4 endpoint', async () => {
    const res = await fetch(`${fake.url}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', secret_key: 'app-secret' },
      body: new URLSearchParams({ app_id: APP_ID, grant_type: 'refresh_token', refresh_token: 'rt' }).toString(),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), expires_in: '90000' });
  });

  test('records a CS message and answers like Zalo', async () => {
    const message = { text: 'Xin chào <b>bạn</b>' };
    const res = await send({ recipient: { user_id: USER }, message });
    expect(res.status).toBe(200);
    const body = await json<ZaloAnswer>(res);
    expect(body).toEqual({
      error: 0,
      message: 'Success',
      data: {
        message_id: expect.stringMatching(/^[0-9a-f]+$/),
        user_id: USER,
        sent_time: expect.stringMatching(/^\d+$/),
      },
    });
    const [entry] = fake.sentLog.list(USER).slice(-1);
    expect(entry).toMatchObject({ userId: USER, message, messageId: body.data.message_id });
    expect(entry?.at).toBeInstanceOf(Date);
  });

  test('answers -216 without an access token, -201 on bad parameters and unknown endpoints', async () => {
    const before = fake.sentLog.lastSeq;
    expect(await (await send({ recipient: { user_id: USER }, message: { text: 'x' } }, null)).json()).toMatchObject({
      error: -216,
    });
    expect(await (await send({ recipient: { user_id: 123 }, message: { text: 'x' } })).json()).toMatchObject({
      error: -201,
    });
    expect(await (await send({ recipient: { user_id: USER }, message: {} })).json()).toMatchObject({ error: -201 });
    const tooLong = await send({ recipient: { user_id: USER }, message: { text: 'a'.repeat(2001) } });
    expect(await tooLong.json()).toMatchObject({ error: -201 });
    const unknown = await postJson(`${fake.url}/v3.0/oa/nothing`, {}, { access_token: 't' });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toMatchObject({ error: -201 });
    expect(fake.sentLog.lastSeq).toBe(before);
  });

  test('failNext makes the next N sends fail with the given code', async () => {
    fake.sentLog.failNext(-230, 2);
    const ok = { recipient: { user_id: USER }, message: { text: 'hi' } };
    const a = await json<ZaloAnswer>(send(ok));
    const b = await json<ZaloAnswer>(send(ok));
    const c = await json<ZaloAnswer>(send(ok));
    expect(a).toEqual({ error: -230, message: expect.any(String) });
    expect(b.error).toBe(-230);
    expect(c.error).toBe(0);
  });

  test('answers the quota, user detail and upload endpoints', async () => {
    const quota = await (
      await postJson(`${fake.url}/v3.0/oa/quota/message`, { user_id: USER }, { access_token: 't' })
    ).json();
    expect(quota).toMatchObject({ error: 0, data: { user_id: USER } });
    const detail = await fetch(
      `${fake.url}/v3.0/oa/user/detail?data=${encodeURIComponent(JSON.stringify({ user_id: USER }))}`,
      { headers: { access_token: 't' } },
    );
    expect(await detail.json()).toMatchObject({ error: 0, data: { user_id: USER, display_name: 'Người dùng thử' } });
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('fake image')], { type: 'image/png' }), 'a.png');
    const image = await fetch(`${fake.url}/v2.0/oa/upload/image`, {
      method: 'POST',
      headers: { access_token: 't' },
      body: form,
    });
    expect(await image.json()).toMatchObject({ error: 0, data: { attachment_id: expect.any(String) } });
    const file = await fetch(`${fake.url}/v2.0/oa/upload/file`, {
      method: 'POST',
      headers: { access_token: 't' },
      body: form,
    });
    expect(await file.json()).toMatchObject({ error: 0, data: { token: expect.any(String) } });
  });

  test('SentLog keeps the last entries only and supports since()', () => {
    const log = new SentLog(3);
    for (let i = 0; i < 5; i++) log.record(i % 2 ? 'a' : 'b', { text: String(i) });
    expect(log.list().map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(log.since(3).map((e) => e.seq)).toEqual([4, 5]);
    expect(log.since(0, 'b').map((e) => e.message.text)).toEqual(['2', '4']);
  });
});

describe('sandbox routes', () => {
  const received: Array<{ raw: Buffer; signature: string | undefined }> = [];
  const sentLog = new SentLog();
  let hook: { server: Server; url: string };
  let app: { server: Server; url: string };

  beforeAll(async () => {
    const target = express();
    target.post('/webhooks/zalo', express.raw({ type: '*/*' }), (req, res) => {
      received.push({ raw: req.body as Buffer, signature: req.get('X-ZEvent-Signature') });
      res.status(200).json({ ok: true });
    });
    hook = await listen(target);
    const main = express();
    main.use('/sandbox/zalo', createFakeZaloRouter(sentLog));
    main.use(
      '/sandbox',
      createSandboxRouter({
        sentLog,
        appId: APP_ID,
        oaId: OA_ID,
        secret: SECRET,
        webhookUrl: () => `${hook.url}/webhooks/zalo`,
      }),
    );
    app = await listen(main);
  });
  afterAll(async () => {
    await close(app.server);
    await close(hook.server);
  });

  const lastEvent = () => {
    const last = received[received.length - 1];
    if (!last) throw new Error('no webhook call recorded');
    return { ...last, event: JSON.parse(last.raw.toString('utf8')) as Record<string, unknown> & { timestamp: string } };
  };

  test('serves the page with a strict CSP and no inline script or style', async () => {
    const res = await fetch(`${app.url}/sandbox`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(SANDBOX_CSP);
    const html = await res.text();
    expect(html).toContain('Hộp thử Zalo OA — Tổng đài CCHC');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.map(([, attrs]) => attrs?.match(/src="([^"]+)"/)?.[1])).toEqual([
      '/sandbox/render.js',
      '/sandbox/app.js',
      '/sandbox/tools.js',
    ]);
    for (const [, , body] of scripts) expect(body?.trim()).toBe('');
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    const js = await fetch(`${app.url}/sandbox/app.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const appJs = await js.text();
    const renderJs = await (await fetch(`${app.url}/sandbox/render.js`)).text();
    const toolsJs = await (await fetch(`${app.url}/sandbox/tools.js`)).text();
    expect(appJs).toContain('EventSource');
    expect(renderJs).toContain('function renderMessageText');
    expect(toolsJs).toContain('/upload?');
    // Message data is rendered with textContent only.
    for (const code of [appJs, renderJs, toolsJs])
      expect(code).not.toMatch(/\.innerHTML\s*=|outerHTML|insertAdjacentHTML|document\.write/);
    const css = await fetch(`${app.url}/sandbox/app.css`);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
  });

  test('POST /sandbox/api/send delivers a correctly signed user_send_text event with string ids', async () => {
    const res = await postJson(`${app.url}/sandbox/api/send`, { userId: USER, text: 'Cho tôi hỏi <script>x</script>' });
    expect(res.status).toBe(200);
    const answer = await json<{ status: number; msgId: string }>(res);
    expect(answer).toEqual({ status: 200, msgId: expect.stringMatching(/^[0-9a-f]+$/) });
    const { raw, signature, event } = lastEvent();
    expect(verifySignature(signature, APP_ID, raw, event.timestamp, SECRET)).toBe(true);
    expect(signature).toMatch(/^mac=[0-9a-f]{64}$/);
    expect(event).toEqual({
      app_id: APP_ID,
      user_id_by_app: expect.stringMatching(/^\d+$/),
      event_name: 'user_send_text',
      timestamp: expect.stringMatching(/^\d{13}$/),
      sender: { id: USER },
      recipient: { id: OA_ID },
      message: { msg_id: answer.msgId, text: 'Cho tôi hỏi <script>x</script>' },
    });
    expect(raw.toString()).toContain(`"sender":{"id":"${USER}"}`);
  });

  test('follow and submit-info events are signed too', async () => {
    expect((await postJson(`${app.url}/sandbox/api/follow`, { userId: USER })).status).toBe(200);
    let { raw, signature, event } = lastEvent();
    expect(verifySignature(signature, APP_ID, raw, event.timestamp, SECRET)).toBe(true);
    expect(event).toMatchObject({
      app_id: APP_ID,
      event_name: 'follow',
      oa_id: OA_ID,
      follower: { id: USER },
      source: 'oa_profile',
    });
    const info = { userId: USER, name: 'Nguyễn Văn A', phone: '0912345678' };
    expect((await postJson(`${app.url}/sandbox/api/submit-info`, info)).status).toBe(200);
    ({ raw, signature, event } = lastEvent());
    expect(verifySignature(signature, APP_ID, raw, event.timestamp, SECRET)).toBe(true);
    expect(event).toMatchObject({
      event_name: 'user_submit_info',
      sender: { id: USER },
      info: { name: info.name, phone: info.phone },
    });
  });

  test.each([
    ['a user id with letters', { userId: '12a', text: 'x' }],
    ['a numeric user id', { userId: 2468458835, text: 'x' }],
    ['an empty text', { userId: USER, text: '' }],
    ['a blank text', { userId: USER, text: '   ' }],
    ['a text over 2,000 characters', { userId: USER, text: 'a'.repeat(2001) }],
    ['no text', { userId: USER }],
  ])('%s → 400 with a code', async (_label, body) => {
    const count = received.length;
    const res = await postJson(`${app.url}/sandbox/api/send`, body);
    expect(res.status).toBe(400);
    const answer = await json<ApiError>(res);
    expect(answer.error).toMatchObject({
      code: 'SANDBOX_BAD_REQUEST',
      message: expect.stringContaining('không hợp lệ'),
    });
    expect(received.length).toBe(count);
  });

  test('invalid JSON → 400 SANDBOX_BAD_JSON', async () => {
    const res = await fetch(`${app.url}/sandbox/api/send`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"userId":',
    });
    expect(res.status).toBe(400);
    expect((await json<ApiError>(res)).error.code).toBe('SANDBOX_BAD_JSON');
  });

  test('an unreachable webhook → 502 SANDBOX_WEBHOOK_UNREACHABLE', async () => {
    const lone = express();
    lone.use(
      '/sandbox',
      createSandboxRouter({
        sentLog,
        appId: APP_ID,
        oaId: OA_ID,
        secret: SECRET,
        webhookUrl: () => 'http://127.0.0.1:1/x',
      }),
    );
    const s = await listen(lone);
    try {
      const res = await postJson(`${s.url}/sandbox/api/send`, { userId: USER, text: 'xin chào' });
      expect(res.status).toBe(502);
      expect((await json<ApiError>(res)).error.code).toBe('SANDBOX_WEBHOOK_UNREACHABLE');
    } finally {
      await close(s.server);
    }
  });

  test('messages and stream return what the bot sent to that user', async () => {
    const other = '1111';
    const first = sentLog.record(USER, { text: 'Chào bạn' });
    sentLog.record(other, { text: 'not yours' });
    const list = await json<MessageList>(fetch(`${app.url}/sandbox/api/messages?userId=${USER}`));
    expect(list.messages.map((m) => m.seq)).toEqual([first.seq]);
    expect(list.messages[0]).toMatchObject({ userId: USER, message: { text: 'Chào bạn' }, messageId: first.messageId });
    const after = await json<MessageList>(fetch(`${app.url}/sandbox/api/messages?userId=${USER}&after=${first.seq}`));
    expect(after.messages).toEqual([]);
    expect((await fetch(`${app.url}/sandbox/api/messages?userId=abc`)).status).toBe(400);

    const abort = new AbortController();
    const res = await fetch(`${app.url}/sandbox/api/stream?userId=${USER}&after=${sentLog.lastSeq}`, {
      signal: abort.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // Record through the real fake API once the stream is open, as the app would.
    const sending = postJson(
      `${app.url}/sandbox/zalo/v3.0/oa/message/cs`,
      { recipient: { user_id: USER }, message: { text: 'Phiếu của bạn: CCHC-001' } },
      { access_token: 'sandbox-access-token' },
    );
    while (!text.includes('CCHC-001')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await sending;
    abort.abort();
    const data = text.split('\n').find((l) => l.startsWith('data: ') && l.includes('CCHC-001'));
    expect(JSON.parse(data!.slice(6))).toMatchObject({ userId: USER, message: { text: 'Phiếu của bạn: CCHC-001' } });
    expect(text).not.toContain('not yours');
  });
});
