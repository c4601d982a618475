import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/env';
import type { Database } from '../../src/db/client';
import { startHotline, type Hotline } from '../../src/hotline';
import { openTestDb, testRedisUrl, uniquePrefix } from './harness';

export interface SandboxHotline {
  hotline: Hotline;
  database: Database;
  /** DATA_DIR: uploads land under it. */
  dataDir: string;
  url: string;
}

/**
 * beforeAll/afterAll for a hotline in sandbox mode (no Zalo credentials: the app serves its own
 * Zalo stand-in and the /sandbox page), on PGlite, real Redis, and a temporary DATA_DIR.
 */
export function useSandboxHotline(): () => SandboxHotline {
  let running: SandboxHotline | undefined;
  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-sandbox-'));
    const database = await openTestDb('pglite');
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: testRedisUrl(),
      DATA_DIR: dataDir,
    });
    const hotline = await startHotline(config, {
      role: 'main',
      prefix: uniquePrefix(),
      database,
      workerOptions: { schedule: false },
    });
    running = { hotline, database, dataDir, url: hotline.url! };
    // PGlite's start and migrations are slow on a busy machine.
  }, 90_000);
  afterAll(async () => {
    await running?.hotline.stop();
    await running?.database.close();
    if (running) fs.rmSync(running.dataDir, { recursive: true, force: true });
  });
  return () => running!;
}
