import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import nock from 'nock';
import type { ZaloConfig } from '../src/config/env';
import type { Database } from '../src/db/client';
import { zaloTokens } from '../src/db/schema';
import { createRedis } from '../src/redis/connection';
import { ZaloApiError } from '../src/zalo/errors';
import { TokenManager, type TokenManagerOptions } from '../src/zalo/tokens';
import { dbKinds, openTestDb, resetDb, testRedisUrl } from './support/harness';
import {
  APP_SECRET,
  connectionReset,
  useZaloNock,
  ZALO_OAUTH_URL,
  ZALO_OPENAPI_URL,
  ZaloTokenAuthority,
} from './support/zalo-nock';
import { captureLogs } from './support/capture-logs';

/* oauth.zaloapp.com is faked with nock; answers copy the shapes in shared/zalo-oa.md §3. */
const T0 = new Date('2025-03-01T00:00:00Z');

const zalo = useZaloNock();

function zaloConfig(appId: string, pair: { accessToken?: string; refreshToken?: string } = {}): ZaloConfig {
  return {
    appId,
    appSecret: APP_SECRET,
    webhookSecret: 'unused',
    accessToken: 'accessToken' in pair ? pair.accessToken : 'AT0',
    refreshToken: 'refreshToken' in pair ? pair.refreshToken : 'RT0',
    openApiUrl: ZALO_OPENAPI_URL,
    oauthUrl: ZALO_OAUTH_URL,
    sendRatePerMin: 4000,
  };
}

const newAppId = () => `app${crypto.randomBytes(6).toString('hex')}`;

/** Every log line of the run, at debug level, to prove no token is ever written. */
const logged = captureLogs();

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

  /** oauth.zaloapp.com accepting `valid` once each, answering `delayMs` late. */
  const authority = (valid: string[], delayMs = 0) => {
    const oauth = new ZaloTokenAuthority(appId, { refreshTokens: valid });
    oauth.intercept(zalo.oauth(), delayMs);
    return oauth;
  };

  test('seeds the env pair on first use, without calling Zalo', async () => {
    const oauth = authority(['RT0']);
    await expect(manager(redisA).getAccessToken()).resolves.toBe('AT0');
    const r = await row();
    expect(r).toMatchObject({ accessToken: 'AT0', refreshToken: 'RT0', accessExpiresAt: null, refreshFailedAt: null });
    expect(r?.seedFingerprint).toBe(crypto.createHash('sha256').update('RT0').digest('hex'));
    expect(oauth.calls).toBe(0);
  });

  test('refresh persists the new pair before returning it, with the documented request', async () => {
    const oauth = authority(['RT0']);
    await expect(manager(redisA).refresh()).resolves.toBe('AT1');
    expect(nock.isDone()).toBe(true);
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
    const oauth = authority(['RT0']);
    await manager(redisA).refresh();
    expect(oauth.calls).toBe(1);
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
    expect(oauth.calls).toBe(1);
    expect(nock.isDone()).toBe(true);
  });

  test('concurrent refreshes from two processes make exactly one OAuth call', async () => {
    const oauth = authority(['RT0'], 300);
    const a = manager(redisA, { pollMs: 20 });
    const b = manager(redisB, { pollMs: 20 });
    await Promise.all([a.getAccessToken(), b.getAccessToken()]); // both seeded, AT0
    const results = await Promise.all([a.refresh('AT0'), b.refresh('AT0'), a.refresh('AT0'), b.refresh()]);
    expect(results).toEqual(['AT1', 'AT1', 'AT1', 'AT1']);
    expect(oauth.calls).toBe(1);
    expect(nock.isDone()).toBe(true);
    expect(await row()).toMatchObject({ accessToken: 'AT1', refreshToken: 'RT1' });
  });

  test('a token another process refreshed is picked up at the first −216, without another OAuth call', async () => {
    const oauth = authority(['RT0']);
    const a = manager(redisA);
    const b = manager(redisB);
    expect(await a.getAccessToken()).toBe('AT0'); // a keeps the row it read for a few seconds
    expect(await b.refresh('AT0')).toBe('AT1');
    expect(await a.getAccessToken()).toBe('AT0'); // at worst one send with the old token …
    expect(await a.refresh('AT0')).toBe('AT1'); // … whose −216 finds the stored one
    expect(await a.getAccessToken()).toBe('AT1');
    expect(oauth.calls).toBe(1);
  });

  test('a refresh failure is recorded, alerts, and throws ZALO_TOKEN_REFRESH_FAILED', async () => {
    authority([]); // RT0 is unknown to Zalo: already spent or revoked
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
    expect(nock.isDone()).toBe(true);
  });

  test('a process waiting on the lock reports the holder failure instead of spending the token again', async () => {
    const oauth = authority([], 300);
    const a = manager(redisA, { pollMs: 20 });
    const b = manager(redisB, { pollMs: 20 });
    await Promise.all([a.getAccessToken(), b.getAccessToken()]);
    const results = await Promise.allSettled([a.refresh('AT0'), b.refresh('AT0')]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'ZALO_TOKEN_REFRESH_FAILED' });
    }
    expect(oauth.calls).toBe(1);
    expect(nock.isDone()).toBe(true);
  });

  test('a later successful refresh clears the alert', async () => {
    const oauth = authority([]);
    const m = manager(redisA);
    await expect(m.refresh()).rejects.toMatchObject({ code: 'ZALO_TOKEN_REFRESH_FAILED' });
    oauth.refreshTokens.set('RT0', appId); // Zalo accepts RT0 again
    clock = new Date(T0.getTime() + 1000);
    await expect(m.refresh()).resolves.toBe('AT1');
    await expect(m.status()).resolves.toEqual({ state: 'ok', accessExpiresAt: new Date(clock.getTime() + 90_000_000) });
    expect(oauth.calls).toBe(2);
    expect(nock.isDone()).toBe(true);
  });

  test('refreshes ahead of expiry, not before', async () => {
    const oauth = authority(['RT0']);
    const m = manager(redisA);
    await m.refresh(); // AT1, expires T0 + 25 h
    clock = new Date(T0.getTime() + 23 * 3600_000);
    await expect(m.getAccessToken()).resolves.toBe('AT1');
    expect(oauth.calls).toBe(1);
    clock = new Date(T0.getTime() + 24 * 3600_000 + 60_000); // 59 min left
    await expect(m.getAccessToken()).resolves.toBe('AT2');
    expect(oauth.calls).toBe(2);
    expect(await row()).toMatchObject({ accessToken: 'AT2', refreshToken: 'RT2' });
    expect(oauth.requests.map((r) => r.form.refresh_token)).toEqual(['RT0', 'RT1']);
    expect(nock.isDone()).toBe(true);
  });

  test('a failed ahead-of-expiry refresh keeps the still-valid token and alerts; an expired one throws', async () => {
    const oauth = authority(['RT0']);
    const m = manager(redisA);
    await m.refresh(); // AT1/RT1
    // RT1 gets revoked on Zalo's side.
    oauth.refreshTokens.clear();
    const callsBefore = oauth.calls;
    clock = new Date(T0.getTime() + 24 * 3600_000 + 60_000);
    await expect(m.getAccessToken()).resolves.toBe('AT1');
    expect((await m.status()).state).toBe('alert');
    // Within the back-off after a failure, no new OAuth call per send.
    await expect(m.getAccessToken()).resolves.toBe('AT1');
    expect(oauth.calls - callsBefore).toBe(1);
    clock = new Date(T0.getTime() + 25 * 3600_000 + 1);
    await expect(m.getAccessToken()).rejects.toMatchObject({ code: 'ZALO_TOKEN_REFRESH_FAILED' });
    expect(nock.isDone()).toBe(true);
  });

  test('an env with only a refresh token refreshes on first use', async () => {
    const oauth = authority(['RT0']);
    const m = new TokenManager({
      db: database.db,
      redis: redisA,
      config: zaloConfig(appId, { accessToken: undefined, refreshToken: 'RT0' }),
      now: () => clock,
    });
    await expect(m.getAccessToken()).resolves.toBe('AT1');
    expect(oauth.calls).toBe(1);
    expect(nock.isDone()).toBe(true);
  });

  test('a network error during refresh is transient and recorded', async () => {
    zalo.oauth().post('/v4/oa/access_token').replyWithError(connectionReset());
    const m = manager(redisA);
    await expect(m.refresh()).rejects.toMatchObject({ code: 'ZALO_TOKEN_REFRESH_FAILED', kind: 'transient' });
    expect(nock.isDone()).toBe(true);
    expect(zalo.calls('/v4/oa/access_token')).toHaveLength(1);
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
    expect(zalo.requests).toHaveLength(0);
  });
});

test('logs never contain a token', () => {
  expect(logged.length).toBeGreaterThan(0);
  expect(logged.join('')).not.toMatch(/\b[AR]T(\d+|new)\b/);
});
