import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../src/db/client';
import { startHotline, type Hotline } from '../src/hotline';
import { startLocalRedis, type LocalRedis } from '../src/redis/local-server';
import { openTestDb, uniquePrefix } from './support/harness';
import { ev, postEvent, testConfig } from './support/hotline';

/** Zalo redelivers what we do not acknowledge; so with Redis gone the webhook must say 503, never 200. */
describe('webhook with Redis down', () => {
  let database: Database;
  let redis: LocalRedis;
  let hotline: Hotline;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-redis-down-'));
  beforeAll(async () => {
    database = await openTestDb('pglite');
    redis = await startLocalRedis(dir, { persist: false });
    const config = { ...testConfig('http://127.0.0.1:9'), redisUrl: redis.url };
    hotline = await startHotline(config, { role: 'web', prefix: uniquePrefix(), database });
  });
  afterAll(async () => {
    await hotline?.stop();
    await redis?.stop();
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 200 while Redis is up, then 503 with Retry-After within 2 s once it is gone', async () => {
    const base = hotline.url!;
    expect((await postEvent(base, ev.text('82000000000000001', 'Hồ sơ đất trễ hẹn'))).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    await redis.stop();
    const t0 = Date.now();
    const res = await postEvent(base, ev.text('82000000000000001', 'Hồ sơ đất trễ hẹn lần 2'));
    expect(res.status).toBe(503);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('REDIS_UNAVAILABLE');
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { redis: { ok: boolean }; database: { ok: boolean } };
    expect(body.redis.ok).toBe(false);
    expect(body.database.ok).toBe(true);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
