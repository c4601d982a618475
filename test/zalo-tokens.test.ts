import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import nock from 'nock';
import type { Redis } from 'ioredis';
import type { ZaloConfig } from '../src/config/env';
import type { Database } from '../src/db/client';
import { zaloTokens } from '../src/db/schema';
import { createRedis } from '../src/redis/connection';
import { ZaloApiError } from '../src/zalo/errors';
import { TokenManager, type TokenManagerOptions } from '../src/zalo/tokens';
import { dbKinds, openTestDb, resetDb, testRedisUrl } from './support/harness';

const OAUTH = 'https://oauth.zaloapp.com';
const APP_SECRET = 'app-secret-for-tests';
const T0 = new Date('2025-03-01T00:00:00Z');

/**
 * A stand-in for oauth.zaloapp.com with Zalo's real rule: each refresh token works once and is
 * replaced by the pair it issues; a reused or unknown one gets Zalo's error answer (HTTP 200).
 */
class FakeOAuth {
  calls = 0;
  requests: Array<{ headers: Record<string, unknown>; form: Record<string, string> }> = [];
  private valid = new Set<string>();
  private issued = 0;

  constructor(
    private readonly appId: string,
    validRefreshTokens: string[],
    private readonly delayMs = 0,
  ) {
    validRefreshTokens.forEach((t) => this.valid.add(t));
  }

  install(): void {
    const fake = this;
    nock(OAUTH)
      .persist()
      .post('/v4/oa/access_token')
      .delay(this.delayMs)
      .reply(function (_uri, body) {
        fake.calls++;
        const form = Object.fromEntries(new URLSearchParams(String(body)));
        fake.requests.push({ headers: this.req.headers, form });
        const rt = form.refresh_token ?? '';
        if (this.req.headers['secret_key'] !== APP_SECRET || form.app_id !== fake.appId)
          return [200, { error: -14002, error_name: 'Invalid app', error_description: 'bad secret_key or app_id' }];
        if (form.grant_type !== 'refresh_token' || !fake.valid.delete(rt))
          return [200, { error: -14014, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid' }];
        fake.issued++;
        return [200, { access_token: `AT${fake.issued}`, refresh_token: `RT${fake.issued}`, expires_in: '90000' }];
      });
  }
}

function zaloConfig(appId: string, pair: { accessToken?: string; refreshToken?: string } = {}): ZaloConfig {
  return {
    appId,
    appSecret: APP_SECRET,
    webhookSecret: 'unused',
    accessToken: 'accessToken' in pair ? pair.accessToken : 'AT0',
    refreshToken: 'refreshToken' in pair ? pair.refreshToken : 'RT0',
    openApiUrl: 'https://openapi.zalo.me',
    oauthUrl: OAUTH,
    sendRatePerMin: 4000,
  };
}

const newAppId = () => `app${crypto.randomBytes(6).toString('hex')}`;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
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
    redisA.disconnect();
    redisB.disconnect();
    await database.close();
  });
  beforeEach(async () => {
    await resetDb(database);
    clock = T0;
    appId = newAppId();
  });
  afterEach(() => nock.cleanAll());

  test('seeds the env pair on first use, without calling Zalo', async () => {
    const oauth = new FakeOAuth(appId, ['RT0']);
    oauth.install();
    await expect(manager(redisA).getAccessToken()).resolves.toBe('AT0');
    const r = await row();
    expect(r).toMatchObject({ accessToken: 'AT0', refreshToken: 'RT0', accessExpiresAt: null, refreshFailedAt: null });
    expect(r?.seedFingerprint).toBe(crypto.createHash('sha256').update('RT0').digest('hex'));
    expect(oauth.calls).toBe(0);
  });

  test('refresh persists the new pair before returning it, with the documented request', async () => {
    const oauth = new FakeOAuth(appId, ['RT0']);
    oauth.install();
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
    new FakeOAuth(appId, ['RT0']).install();
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
    const oauth = new FakeOAuth(appId, ['RT0'], 300);
    oauth.install();
    const a = manager(redisA, { pollMs: 20 });
    const b = manager(redisB, { pollMs: 20 });
    await Promise.all([a.getAccessToken(), b.getAccessToken()]); // both seeded, AT0
    const results = await Promise.all([a.refresh('AT0'), b.refresh('AT0'), a.refresh('AT0'), b.refresh()]);
    expect(results).toEqual(['AT1', 'AT1', 'AT1', 'AT1']);
    expect(oauth.calls).toBe(1);
    expect(await row()).toMatchObject({ accessToken: 'AT1', refreshToken: 'RT1' });
  });

  test('a refresh failure is recorded, alerts, and throws ZALO_TOKEN_REFRESH_FAILED', async () => {
    const oauth = new FakeOAuth(appId, []); // RT0 is unknown to Zalo: already spent or revoked
    oauth.install();
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
    const oauth = new FakeOAuth(appId, [], 300);
    oauth.install();
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
    new FakeOAuth(appId, []).install();
    const m = manager(redisA);
    await expect(m.refresh()).rejects.toMatchObject({ code: 'ZALO_TOKEN_REFRESH_FAILED' });
    nock.cleanAll();
    new FakeOAuth(appId, ['RT0']).install();
    clock = new Date(T0.getTime() + 1000);
    await expect(m.refresh()).resolves.toBe('AT1');
    await expect(m.status()).resolves.toEqual({ state: 'ok', accessExpiresAt: new Date(clock.getTime() + 90_000_000) });
  });

  test('refreshes ahead of expiry, not before', async () => {
    const oauth = new FakeOAuth(appId, ['RT0']);
    oauth.install();
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
    const oauth = new FakeOAuth(appId, ['RT0']);
    oauth.install();
    const m = manager(redisA);
    await m.refresh(); // AT1/RT1
    // RT1 gets revoked on Zalo's side.
    nock.cleanAll();
    const revoked = new FakeOAuth(appId, []);
    revoked.install();
    clock = new Date(T0.getTime() + 24 * 3600_000 + 60_000);
    await expect(m.getAccessToken()).resolves.toBe('AT1');
    expect((await m.status()).state).toBe('alert');
    // Within the back-off after a failure, no new OAuth call per send.
    await expect(m.getAccessToken()).resolves.toBe('AT1');
    expect(revoked.calls).toBe(1);
    clock = new Date(T0.getTime() + 25 * 3600_000 + 1);
    await expect(m.getAccessToken()).rejects.toMatchObject({ code: 'ZALO_TOKEN_REFRESH_FAILED' });
  });

  test('an env with only a refresh token refreshes on first use', async () => {
    const oauth = new FakeOAuth(appId, ['RT0']);
    oauth.install();
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
    nock(OAUTH).post('/v4/oa/access_token').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
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
