import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../../src/config/env';
import { openSharedDatabase } from '../../src/db/client';
import type { Db } from '../../src/db/client';

/**
 * Runs a CLI's work on the configured database: DATABASE_URL, or the embedded one under DATA_DIR —
 * through the running hotline's socket when the hotline holds it. A bad configuration prints and
 * gives exit code 1; the database is closed whatever happens.
 */
export async function withCliDatabase(work: (db: Db, config: Config) => Promise<number>): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) return (console.error(e.message), 1);
    throw e;
  }
  const database = await openSharedDatabase({
    url: config.databaseUrl,
    pgliteDir: path.join(config.dataDir, 'pglite'),
  });
  try {
    return await work(database.db, config);
  } finally {
    await database.close();
  }
}
