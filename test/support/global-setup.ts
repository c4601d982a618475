import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalRedis } from '../../src/redis/local-server';
import { startLocalPostgres } from './services';

/**
 * Real services for the whole run: a private redis-server (unless TEST_REDIS_URL is given) and a
 * Debian PostgreSQL cluster for the storage tests (unless TEST_DATABASE_URL is given). In CI the
 * PostgreSQL server is required; on a developer machine without it those tests say so and skip.
 */
export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = 'test';
  const handles: Array<() => Promise<void>> = [];
  if (!process.env.TEST_REDIS_URL) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-redis-'));
    const redis = await startLocalRedis(dir, { persist: false });
    process.env.TEST_REDIS_URL = redis.url;
    handles.push(async () => {
      await redis.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }
  if (!process.env.TEST_DATABASE_URL) {
    const pg = await startLocalPostgres();
    if (pg) {
      process.env.TEST_DATABASE_URL = pg.url;
      handles.push(pg.stop);
    } else if (process.env.CI) {
      throw new Error('CI needs PostgreSQL for the storage tests: apt-get install -y postgresql');
    }
  }
  (globalThis as { __cchcServices?: typeof handles }).__cchcServices = handles;
}
