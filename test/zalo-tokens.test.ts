import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { ZaloConfig } from '../src/config/env';
import type { Database } from '../src/db/client';
import { zaloTokens } from '../src/db/schema';
import { log } from '../src/log';
import { createRedis } from '../src/redis/connection';
import { ZaloApiError } from '../src/zalo/errors';
import { TokenManager, type TokenManagerOptions } from '../src/zalo/tokens';
import { dbKinds, openTestDb, resetDb, testRedisUrl } from './support/harness';

/*
 * Zalo is stood in for by a real HTTP server on 127.0.0.1 rather than nock: nock 15.0.2 is ESM-only
 * (jest 30 cannot load it on Node 20) and its @mswjs/interceptors 0.44 needs Node 22
 * (Promise.withResolvers). A loopback server also exercises the real axios/socket path.
 */
const APP_SECRET = 'app-secret-for-tests';
const T0 = new Date('2025-03-01T00:00:00Z');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface OAuthRequest {
  headers: http.IncomingHttpHeaders;
  form: Record<string, string>;
}
type OAuthAnswer = [number, unknown] | 'reset';

/**
 * oauth.zaloapp.com with Zalo's real rule: each refresh token works once and is replaced by the pair
 * it issues; a reused or unknown one gets Zalo's error answer (HTTP 200 with a negative `error`).
 */
class FakeOAuth {
  url = '';
  appId = '';
  delayMs = 0;
  /** Overrides the answer (network failures, odd bodies). */
  answer: ((r: OAuthRequest) => OAuthAnswer | undefined) | null = null;
  requests: OAuthRequest[] = [];
  private valid = new Set<string>();
  private issued = 0;
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  get calls(): number {
    return this.requests.length;
  }

  reset(appId: string, validRefreshTokens: string[], delayMs = 0): void {
    this.appId = appId;
    this.valid = new Set(validRefreshTokens);
    this.delayMs = delayMs;
    this.answer = null;
    this.requests = [];
    this.issued = 0;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || req.url !== '/v4/oa/access_token') {
      res.writeHead(404).end();
      return;
    }
    const r: OAuthRequest = {
      headers: req.headers,
      form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString())),
    };
    this.requests.push(r);
    if (this.delayMs) await sleep(this.delayMs);
    const out = this.answer?.(r) ?? this.rotate(r);
    if (out === 'reset') {
      req.socket.destroy();
      return;
    }
    res.writeHead(out[0], { 'content-type': 'application/json' }).end(JSON.stringify(out[1]));
  }

  private rotate({ headers, form }: OAuthRequest): OAuthAnswer {
    if (headers['secret_key'] !== APP_SECRET || form.app_id !== this.appId)
      return [200, { error: -14002, error_name: 'Invalid app', error_description: 'bad secret_key or app_id' }];
    if (form.grant_type !== 'refresh_token' || !this.valid.delete(form.refresh_token ?? ''))
      return [
        200,
        { error: -14014, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid' },
      ];
    this.issued++;
    this.valid.add(`RT${this.issued}`);
    return [200, { access_token: `AT${this.issued}`, refresh_token: `RT${this.issued}`, expires_in: '90000' }];
  }
}

const oauth = new FakeOAuth();

function zaloConfig(appId: string, pair: { accessToken?: string; refreshToken?: string } = {}): ZaloConfig {
  return {
    appId,
    appSecret: APP_SECRET,
    webhookSecret: 'unused',
    accessToken: 'accessToken' in pair ? pair.accessToken : 'AT0',
    refreshToken: 'refreshToken' in pair ? pair.refreshToken : 'RT0',
    openApiUrl: oauth.url,
    oauthUrl: oauth.url,
    sendRatePerMin: 4000,
  };
}

const newAppId = () => `app${crypto.randomBytes(6).toString('hex')}`;

beforeAll(() => oauth.start());
afterAll(() => oauth.stop());

/** Every log line of the run, at debug level, to prove no token is ever written. */
const logged: string[] = [];
beforeAll(() => {
  log.setLevel('debug');
  for (const stream of [process.stdout, process.stderr])
    jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    }) as typeof stream.write);
});
afterAll(() => {
  jest.restoreAllMocks();
  log.setLevel('error');
});

describe.each(dbKinds())('TokenManager on %s', (kind) => {
  let database: Database;
  let redisA: Redis;
  let redisB: Redis;
  let clock: Date;
  let appId: string;

  const manager = (redis: Redis, extra: Partial<TokenManagerOptions> = {}) =>
    new TokenManager({ db: database.db, redis, config: zaloConfig(appId), now: () => clock, ...extra });
  const row = async () => (await database.db.select().from(zaloTokens).where(eq(zaloTokens.appId, appId)))[0];

  beforeAll(async () => {
    database = await openTestDb(kind);
    redisA = createRedis(testRedisUrl(), 'worker');
    redisB = createRedis(testRedisUrl(), 'worker');
  });
  afterAll(async () => {
    redisA?.disconnect();
    redisB?.disconnect();
    await database?.close();
  });
  beforeEach(async () => {
    await resetDb(database);
    clock = T0;
    appId = newAppId();
  });
  test('seeds the env pair on first use, without calling Zalo', async () => {
    oauth.reset(appId, ['RT0']);
    await expect(manager(redisA).getAccessToken()).resolves.toBe('AT0');
    const r = await row();
    expect(r).toMatchObject({ accessToken: 'AT0', refreshToken: 'RT0', accessExpiresAt: null, refreshFailedAt: null });
    expect(r?.seedFingerprint).toBe(crypto.createHash('sha256').update('RT0').digest('hex'));
    expect(oauth.calls).toBe(0);
  });

  test('refresh persists the new pair before returning it, with the documented request', async () => {
    oauth.reset(appId, ['RT0']);
    await expect(manager(redisA).refresh()).resolves.toBe('AT1');
    expect(await row()).toMatchObject({
      accessToken: 'AT1',
      refreshToken: 'RT1',
      accessExpiresAt: new Date(T0.getTime() + 90_000_000),
      refreshedAt: T0,
      refreshFailedAt: null,
      refreshError: null,
    });
    expect(oauth.requests[0]?.form).toEqual({ app_id: appId, grant_type: 'refresh_token', refresh_token: 'RT0' });
    expect(oauth.requests[0]?.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
    // The lock is released by its owner.
    expect(await redisA.exists(`zalo:token-refresh:${appId}`)).toBe(0);
  });

  test('a restart with the same env pair keeps the refreshed pair; a new env pair re-seeds', async () => {
    oauth.reset(appId, ['RT0']);
    await manager(redisA).refresh();
    // Same env (its RT0 is spent): the stored AT1/RT1 must survive.
    await expect(manager(redisB).getAccessToken()).resolves.toBe('AT1');
    expect((await row())?.refreshToken).toBe('RT1');
    // An admin granted access again and put a new pair in the environment.
    const reseeded = new TokenManager({
      db: database.db,
      redis: redisA,
      config: zaloConfig(appId, { accessToken: 'ATnew', refreshToken: 'RTnew' }),
      now: () => clock,
    });
    await expect(reseeded.getAccessToken()).resolves.toBe('ATnew');
    expect(await row()).toMatchObject({ accessToken: 'ATnew', refreshToken: 'RTnew', accessExpiresAt: null });
  });

  test('concurrent refreshes from two processes make exactly one OAuth call', async () => {
    oauth.reset(appId, ['RT0'], 300);
    const a = manager(redisA, { pollMs: 20 });
    const b = manager(redisB, { pollMs: 20 });
    await Promise.all([a.getAccessToken(), b.getAccessToken()]); // both seeded, AT0
    const results = await Promise.all([a.refresh('AT0'), b.refresh('AT0'), a.refresh('AT0'), b.refresh()]);
    expect(results).toEqual(['AT1', 'AT1', 'AT1', 'AT1']);
    expect(oauth.calls).toBe(1);
    expect(await row()).toMatchObject({ accessToken: 'AT1', refreshToken: 'RT1' });
  });

  test('a refresh failure is recorded, alerts, and throws ZALO_TOKEN_REFRESH_FAILED', async () => {
    oauth.reset(appId, []); // RT0 is unknown to Zalo: already spent or revoked
    const m = manager(redisA);
    await expect(m.status()).resolves.toEqual({ state: 'ok' });
    const err = await m.refresh('AT0').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect(err).toMatchObject({ code: 'ZALO_TOKEN_REFRESH_FAILED', zaloCode: -14014, kind: 'token' });
    expect((err as Error).message).not.toContain('RT0');
    const status = await m.status();
    expect(status).toMatchObject({ state: 'alert', refreshFailedAt: T0 });
    expect(status.refreshError).toContain('-14014');
    expect(await row()).toMatchObject({ accessToken: 'AT0', refreshToken: 'RT0', refreshFailedAt: T0 });
  });

  test('a process waiting on the lock reports the holder failure instead of spending the token again', async () => {
    oauth.reset(appId, [], 300);
    const a = manager(redisA, { pollMs: 20 });
    const b = manager(redisB, { pollMs: 20 });
    await Promise.all([a.getAccessToken(), b.getAccessToken()]);
    const results = await Promise.allSettled([a.refresh('AT0'), b.refresh('AT0')]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'ZALO_TOKEN_REFRESH_FAILED' });
    }
    expect(oauth.calls).toBe(1);
  });

  test('a later successful refresh clears the alert', async () => {
    oauth.reset(appId, []);
    const m = manager(redisA);
    await expect(m.refresh()).rejects.toMatchObject({ code: 'ZALO_TOKEN_REFRESH_FAILED' });
    oauth.reset(appId, ['RT0']);
    clock = new Date(T0.getTime() + 1000);
    await expect(m.refresh()).resolves.toBe('AT1');
    await expect(m.status()).resolves.toEqual({ state: 'ok', accessExpiresAt: new Date(clock.getTime() + 90_000_000) });
  });

  test('refreshes ahead of expiry, not before', async () => {
    oauth.reset(appId, ['RT0']);
    const m = manager(redisA);
    await m.refresh(); // AT1, expires T0 + 25 h
    clock = new Date(T0.getTime() + 23 * 3600_000);
    await expect(m.getAccessToken()).resolves.toBe('AT1');
    expect(oauth.calls).toBe(1);
    clock = new Date(T0.getTime() + 24 * 3600_000 + 60_000); // 59 min left
    await expect(m.getAccessToken()).resolves.toBe('AT2');
    expect(oauth.calls).toBe(2);
    expect(await row()).toMatchObject({ accessToken: 'AT2', refreshToken: 'RT2' });
  });

  test('a failed ahead-of-expiry refresh keeps the still-valid token and alerts; an expired one throws', async () => {
    oauth.reset(appId, ['RT0']);
    const m = manager(redisA);
    await m.refresh(); // AT1/RT1
    // RT1 gets revoked on Zalo's side.
    oauth.reset(appId, []);
    clock = new Date(T0.getTime() + 24 * 3600_000 + 60_000);
    await expect(m.getAccessToken()).resolves.toBe('AT1');
    expect((await m.status()).state).toBe('alert');
    // Within the back-off after a failure, no new OAuth call per send.
    await expect(m.getAccessToken()).resolves.toBe('AT1');
    expect(oauth.calls).toBe(1);
    clock = new Date(T0.getTime() + 25 * 3600_000 + 1);
    await expect(m.getAccessToken()).rejects.toMatchObject({ code: 'ZALO_TOKEN_REFRESH_FAILED' });
  });

  test('an env with only a refresh token refreshes on first use', async () => {
    oauth.reset(appId, ['RT0']);
    const m = new TokenManager({
      db: database.db,
      redis: redisA,
      config: zaloConfig(appId, { accessToken: undefined, refreshToken: 'RT0' }),
      now: () => clock,
    });
    await expect(m.getAccessToken()).resolves.toBe('AT1');
    expect(oauth.calls).toBe(1);
  });

  test('a network error during refresh is transient and recorded', async () => {
    oauth.reset(appId, ['RT0']);
    oauth.answer = () => 'reset';
    const m = manager(redisA);
    await expect(m.refresh()).rejects.toMatchObject({ code: 'ZALO_TOKEN_REFRESH_FAILED', kind: 'transient' });
    expect((await m.status()).state).toBe('alert');
  });

  test('without any token in env or database, status alerts and getAccessToken throws', async () => {
    const m = new TokenManager({
      db: database.db,
      redis: redisA,
      config: zaloConfig(appId, { accessToken: undefined, refreshToken: undefined }),
      now: () => clock,
    });
    await expect(m.getAccessToken()).rejects.toMatchObject({ code: 'ZALO_TOKEN_INVALID' });
    expect((await m.status()).state).toBe('alert');
  });
});

test('logs never contain a token', () => {
  expect(logged.length).toBeGreaterThan(0);
  expect(logged.join('')).not.toMatch(/\b[AR]T(\d+|new)\b/);
});
