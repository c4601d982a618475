import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import nock from 'nock';
import type { ZaloConfig } from '../src/config/env';
import type { Database } from '../src/db/client';
import { zaloTokens } from '../src/db/schema';
import { createRedis } from '../src/redis/connection';
import { ZaloClient } from '../src/zalo/client';
import { classifyZaloError, ZaloApiError } from '../src/zalo/errors';
import {
  buttonsMessage,
  csMessageSchema,
  imageMessage,
  requestUserInfoMessage,
  textMessage,
  type CsMessage,
} from '../src/zalo/messages';
import { TokenManager } from '../src/zalo/tokens';
import { dbKinds, openTestDb, resetDb, testRedisUrl } from './support/harness';
import {
  APP_SECRET,
  connectionReset,
  useZaloNock,
  ZALO_OAUTH_URL,
  ZALO_OPENAPI_URL,
  ZaloTokenAuthority,
  type ZaloRequest,
} from './support/zalo-nock';
import { captureLogs } from './support/capture-logs';

/* Zalo is faked with nock on its real hosts; answers copy the shapes in shared/zalo-oa.md. */
const USER = '2468458835296197922';
const MSG_ID = '96d3cdf3af150460909';
const CLIENT_TIMEOUT_MS = 500;

const zalo = useZaloNock();
const json = (r: ZaloRequest): Record<string, unknown> => JSON.parse(r.body.toString()) as Record<string, unknown>;
/** Zalo's success answer to POST /message/cs, for the request body nock parsed. */
const sent = (body: nock.Body) => ({
  error: 0,
  message: 'Success',
  data: { message_id: MSG_ID, user_id: ((body as Record<string, unknown>).recipient as { user_id: string }).user_id },
});

/** Every log line of the run, at debug level, to prove no token is ever written. */
const logged = captureLogs();

describe('message builders', () => {
  test('textMessage NFC-normalises and enforces the 2,000-character limit', () => {
    const decomposed = 'Thu\u0309 tu\u0323c'; // "Thủ tục" typed with combining marks
    expect(textMessage(decomposed)).toEqual({ text: 'Thủ tục' });
    expect(textMessage('a'.repeat(2000))).toEqual({ text: 'a'.repeat(2000) });
    expect(() => textMessage('a'.repeat(2001))).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LONG' }));
    expect(() => textMessage('   ')).toThrow(expect.objectContaining({ code: 'MESSAGE_INVALID' }));
  });

  test('buttonsMessage builds the template and validates buttons', () => {
    const m = buttonsMessage('Chọn mục', [
      { type: 'oa.query.show', title: 'Gửi phản ánh', payload: '#phan_anh' },
      { type: 'oa.open.url', title: 'Cổng DVC', payload: { url: 'https://dichvucong.gov.vn' } },
      { type: 'oa.open.phone', title: 'Gọi tổng đài', payload: { phone_code: '0912 345 678' } },
    ]);
    expect(m).toEqual({
      text: 'Chọn mục',
      attachment: {
        type: 'template',
        payload: {
          buttons: [
            { type: 'oa.query.show', title: 'Gửi phản ánh', payload: '#phan_anh' },
            { type: 'oa.open.url', title: 'Cổng DVC', payload: { url: 'https://dichvucong.gov.vn' } },
            { type: 'oa.open.phone', title: 'Gọi tổng đài', payload: { phone_code: '0912345678' } },
          ],
        },
      },
    });
    const q = { type: 'oa.query.hide' as const, title: 'x', payload: '#x' };
    expect(() => buttonsMessage('t', Array(6).fill(q))).toThrow(expect.objectContaining({ code: 'MESSAGE_INVALID' }));
    expect(() => buttonsMessage('t', [])).toThrow(/buttons/);
    expect(() => buttonsMessage('t', [{ ...q, title: 'x'.repeat(101) }])).toThrow(/title/);
    expect(() =>
      buttonsMessage('t', [{ type: 'oa.open.url', title: 'x', payload: { url: 'javascript:alert(1)' } }]),
    ).toThrow(/url/);
  });

  test('imageMessage and requestUserInfoMessage follow the documented templates', () => {
    expect(imageMessage({ attachmentId: 'att-1' })).toEqual({
      attachment: {
        type: 'template',
        payload: { template_type: 'media', elements: [{ media_type: 'image', attachment_id: 'att-1' }] },
      },
    });
    expect(imageMessage({ url: 'https://example.vn/a.png' }, 'Ảnh')).toMatchObject({ text: 'Ảnh' });
    expect(
      requestUserInfoMessage({ title: 'Thông tin', subtitle: 'Cho phép', imageUrl: 'https://example.vn/i.png' }),
    ).toEqual({
      attachment: {
        type: 'template',
        payload: {
          template_type: 'request_user_info',
          elements: [{ title: 'Thông tin', subtitle: 'Cho phép', image_url: 'https://example.vn/i.png' }],
        },
      },
    });
  });

  test('csMessageSchema accepts built messages and rejects unknown shapes', () => {
    for (const m of [textMessage('x'), buttonsMessage('x', [{ type: 'oa.query.hide', title: 'a', payload: 'b' }])])
      expect(csMessageSchema.safeParse(m).success).toBe(true);
    expect(csMessageSchema.safeParse({ text: 'x', extra: 1 }).success).toBe(false);
    expect(csMessageSchema.safeParse({ attachment: { type: 'file' } }).success).toBe(false);
    expect(csMessageSchema.safeParse({ text: 'a'.repeat(2001) }).success).toBe(false);
  });
});

describe('classifyZaloError', () => {
  test.each([
    [-216, 'token', 'ZALO_TOKEN_INVALID'],
    [-220, 'token', 'ZALO_TOKEN_INVALID'],
    [-230, 'window', 'ZALO_WINDOW_CLOSED'],
    [-232, 'window', 'ZALO_WINDOW_CLOSED'],
    [-32, 'rate', 'ZALO_RATE_LIMITED'],
    [-201, 'permanent', 'ZALO_REJECTED'],
    [-999, 'permanent', 'ZALO_REJECTED'],
  ])('%i → %s', (code, kind, appCode) => {
    const e = classifyZaloError(code, 'msg');
    expect(e).toMatchObject({ kind, code: appCode, zaloCode: code });
    expect(e.message).toContain(String(code));
  });
});

describe.each(dbKinds())('ZaloClient on %s', (kind) => {
  let database: Database;
  let redis: Redis;
  let appId: string;
  let config: ZaloConfig;
  let tokens: TokenManager;
  let client: ZaloClient;

  const row = async () => (await database.db.select().from(zaloTokens).where(eq(zaloTokens.appId, appId)))[0];

  beforeAll(async () => {
    database = await openTestDb(kind);
    redis = createRedis(testRedisUrl(), 'worker');
  });
  afterAll(async () => {
    redis?.disconnect();
    await database?.close();
  });
  beforeEach(async () => {
    await resetDb(database);
    appId = `app${crypto.randomBytes(6).toString('hex')}`;
    config = {
      appId,
      appSecret: APP_SECRET,
      webhookSecret: 'unused',
      accessToken: 'AT0',
      refreshToken: 'RT0',
      openApiUrl: ZALO_OPENAPI_URL,
      oauthUrl: ZALO_OAUTH_URL,
      sendRatePerMin: 4000,
    };
    tokens = new TokenManager({ db: database.db, redis, config });
    client = new ZaloClient({ config, tokens, timeoutMs: CLIENT_TIMEOUT_MS });
  });

  /** OAuth with single-use refresh tokens; AT0 works until a new pair is issued. */
  const installOAuth = (valid: string[]) => {
    const oauth = new ZaloTokenAuthority(appId, { refreshTokens: valid, accessTokens: ['AT0'], expiresIn: 90000 });
    oauth.intercept(zalo.oauth());
    return oauth;
  };

  test('sends a text message with the access_token header and the documented body', async () => {
    zalo
      .openApi()
      .post('/v3.0/oa/message/cs')
      .reply(200, (_uri, body) => sent(body));
    await expect(client.sendMessage(USER, textMessage('Xin chào'))).resolves.toEqual({
      messageId: MSG_ID,
      userId: USER,
    });
    expect(nock.isDone()).toBe(true);
    const [req] = zalo.calls('/v3.0/oa/message/cs');
    expect(req?.headers['access_token']).toBe('AT0');
    expect(req?.headers['authorization']).toBeUndefined();
    expect(req?.headers['content-type']).toMatch(/application\/json/);
    expect(json(req!)).toEqual({ recipient: { user_id: USER }, message: { text: 'Xin chào' } });
  });

  test.each([
    [-230, 'window', 'ZALO_WINDOW_CLOSED'],
    [-32, 'rate', 'ZALO_RATE_LIMITED'],
    [-999, 'permanent', 'ZALO_REJECTED'],
  ])('HTTP 200 with error %i is a %s failure', async (code, errKind, appCode) => {
    zalo.openApi().post('/v3.0/oa/message/cs').reply(200, { error: code, message: 'Zalo says no' });
    const err = await client.sendMessage(USER, textMessage('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect(err).toMatchObject({ kind: errKind, code: appCode, zaloCode: code });
    expect((err as Error).message).toContain(`${code}: Zalo says no`);
    expect(nock.isDone()).toBe(true);
    expect(zalo.calls('/v4/oa/access_token')).toHaveLength(0);
  });

  test('token expiry mid-send: refresh once (single-use refresh token), persist, retry once', async () => {
    const oauth = installOAuth(['RT0']);
    await tokens.getAccessToken(); // seeded with AT0 while Zalo still accepts it
    oauth.accessTokens.clear(); // AT0 expires
    zalo
      .openApi()
      .post('/v3.0/oa/message/cs')
      .times(2)
      .reply(function (_uri, body) {
        return oauth.accessTokens.has(this.req.headers['access_token'] ?? '')
          ? [200, sent(body)]
          : [200, { error: -216, message: 'Access token is invalid' }];
      });
    await expect(client.sendMessage(USER, textMessage('x'))).resolves.toEqual({ messageId: MSG_ID, userId: USER });
    expect(zalo.calls('/v3.0/oa/message/cs').map((r) => r.headers['access_token'])).toEqual(['AT0', 'AT1']);
    expect(zalo.calls('/v4/oa/access_token')).toHaveLength(1);
    expect(await row()).toMatchObject({ accessToken: 'AT1', refreshToken: 'RT1' });
    // A restarted process with the same env uses the stored pair, never the spent env refresh token.
    const restarted = new TokenManager({ db: database.db, redis, config });
    await expect(restarted.getAccessToken()).resolves.toBe('AT1');
    await expect(restarted.refresh('AT1')).resolves.toBe('AT2');
    expect(
      zalo.calls('/v4/oa/access_token').map((r) => new URLSearchParams(r.body.toString()).get('refresh_token')),
    ).toEqual(['RT0', 'RT1']);
    expect(nock.isDone()).toBe(true);
  });

  test('−220 also refreshes; a second token error after the refresh throws', async () => {
    installOAuth(['RT0']);
    zalo
      .openApi()
      .post('/v3.0/oa/message/cs')
      .times(2)
      .reply(200, { error: -220, message: 'Access token has expired' });
    await expect(client.sendMessage(USER, textMessage('x'))).rejects.toMatchObject({
      code: 'ZALO_TOKEN_INVALID',
      kind: 'token',
    });
    expect(zalo.calls('/v3.0/oa/message/cs')).toHaveLength(2);
    expect(zalo.calls('/v4/oa/access_token')).toHaveLength(1);
    expect(nock.isDone()).toBe(true);
  });

  test('a failed refresh during a send surfaces ZALO_TOKEN_REFRESH_FAILED and alerts', async () => {
    const oauth = installOAuth([]); // RT0 already spent
    zalo.openApi().post('/v3.0/oa/message/cs').reply(200, { error: -216, message: 'Access token is invalid' });
    await expect(client.sendMessage(USER, textMessage('x'))).rejects.toMatchObject({
      code: 'ZALO_TOKEN_REFRESH_FAILED',
    });
    expect((await tokens.status()).state).toBe('alert');
    expect(oauth.calls).toBe(1);
    expect(nock.isDone()).toBe(true);
  });

  test.each([
    ['a dropped connection', (i: nock.Interceptor) => i.replyWithError(connectionReset())],
    ['a timeout', (i: nock.Interceptor) => i.delay(CLIENT_TIMEOUT_MS * 20).reply(200, (_uri, body) => sent(body))],
    ['HTTP 502', (i: nock.Interceptor) => i.reply(502, '<html>Bad Gateway</html>')],
  ])('%s is transient', async (_name, answer) => {
    answer(zalo.openApi().post('/v3.0/oa/message/cs'));
    await expect(client.sendMessage(USER, textMessage('x'))).rejects.toMatchObject({
      code: 'ZALO_UNREACHABLE',
      kind: 'transient',
    });
    expect(nock.isDone()).toBe(true);
  });

  test('errors never carry the access token', async () => {
    zalo.openApi().post('/v3.0/oa/message/cs').replyWithError(connectionReset());
    const err = (await client.sendMessage(USER, textMessage('x')).catch((e: unknown) => e)) as ZaloApiError;
    expect(nock.isDone()).toBe(true);
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain('AT0');
  });

  test('getProfile sends the JSON data parameter and keeps ids as strings', async () => {
    zalo
      .openApi()
      .get('/v3.0/oa/user/detail')
      .query({ data: JSON.stringify({ user_id: USER }) })
      .reply(200, (uri) => ({
        error: 0,
        message: 'Success',
        data: {
          user_id: (JSON.parse(new URL(uri, ZALO_OPENAPI_URL).searchParams.get('data') ?? '{}') as { user_id: string })
            .user_id,
          user_id_by_app: '5521772797175877301',
          display_name: 'Nguyễn Văn A',
          avatar: 'https://s120-ava-talk.zadn.vn/a.jpg',
          user_is_follower: true,
          shared_info: { name: 'Nguyễn Văn A', phone: '84912345678', address: '' },
        },
      }));
    const p = await client.getProfile(USER);
    expect(nock.isDone()).toBe(true);
    expect(zalo.calls('/v3.0/oa/user/detail')[0]?.query.get('data')).toBe(JSON.stringify({ user_id: USER }));
    expect(p).toMatchObject({
      userId: USER,
      displayName: 'Nguyễn Văn A',
      isFollower: true,
      sharedInfo: { name: 'Nguyễn Văn A', phone: '84912345678' },
    });
    expect(p.data.user_id_by_app).toBe('5521772797175877301');
  });

  test('getQuota posts user_id and returns data', async () => {
    zalo
      .openApi()
      .post('/v3.0/oa/quota/message')
      .reply(200, { error: 0, message: 'Success', data: { status: 'available', remain: 8 } });
    await expect(client.getQuota(USER)).resolves.toEqual({ status: 'available', remain: 8 });
    expect(nock.isDone()).toBe(true);
    expect(json(zalo.calls('/v3.0/oa/quota/message')[0]!)).toEqual({ user_id: USER });
  });

  test('uploadImage posts multipart and returns the attachment_id; refuses what Zalo would', async () => {
    zalo
      .openApi()
      .post('/v2.0/oa/upload/image')
      .reply(200, { error: 0, message: 'Success', data: { attachment_id: 'att-123' } });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    await expect(client.uploadImage(png, 'image/png', 'a.png')).resolves.toBe('att-123');
    expect(nock.isDone()).toBe(true);
    const [req] = zalo.calls('/v2.0/oa/upload/image');
    expect(req?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(req?.headers['access_token']).toBe('AT0');
    const body = req!.body.toString('latin1');
    expect(body).toContain('name="file"; filename="a.png"');
    expect(body).toContain('Content-Type: image/png');
    expect(req!.body.includes(png)).toBe(true);
    await expect(client.uploadImage(png, 'image/gif', 'a.gif')).rejects.toMatchObject({ kind: 'permanent' });
    await expect(client.uploadImage(Buffer.alloc(1024 * 1024 + 1), 'image/png', 'big.png')).rejects.toMatchObject({
      kind: 'permanent',
    });
    expect(zalo.calls('/v2.0/oa/upload/image')).toHaveLength(1);
  });

  test('refuses an invalid stored message without calling Zalo', async () => {
    const bad = { text: 'a'.repeat(2001) } as CsMessage;
    await expect(client.sendMessage(USER, bad)).rejects.toMatchObject({ code: 'ZALO_REJECTED', kind: 'permanent' });
    expect(zalo.requests).toHaveLength(0);
  });
});

test('logs never contain a token', () => {
  expect(logged.length).toBeGreaterThan(0);
  expect(logged.join('')).not.toMatch(/\b[AR]T(\d+|new)\b/);
});
