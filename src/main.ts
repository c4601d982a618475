import { ConfigError, loadConfig } from './config/env';
import { AppError } from './errors';
import { log } from './log';
import { startHotline, type Role } from './hotline';
import { useSequentialConnects } from './net-defaults';

useSequentialConnects();

/** Process entry: `main` (web + workers, what npm start runs), `web` or `worker`. */
async function main(): Promise<void> {
  const role = (process.argv[2] ?? 'main') as Role;
  if (!['main', 'web', 'worker'].includes(role)) {
    console.error(`Unknown role "${role}": use main, web or worker.`);
    process.exit(2);
  }
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  log.setLevel(config.logLevel);
  if (role !== 'main' && (!config.redisUrl || !config.databaseUrl)) {
    console.error(
      `The "${role}" process runs apart from the others, so it needs shared services: set REDIS_URL and DATABASE_URL ` +
        '(the embedded PGlite and private Redis serve one process only; `npm start` runs web and workers together).',
    );
    process.exit(1);
  }
  const hotline = await startHotline(config, { role });
  if (config.sandbox && hotline.url) {
    log.info(`sandbox mode (no Zalo credentials): chat as a citizen at ${hotline.url}/sandbox`);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    const hardStop = setTimeout(() => {
      log.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, config.shutdownDeadlineMs + 5000);
    hardStop.unref();
    await hotline.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  if (e instanceof AppError) console.error(`${e.code}: ${e.message}`);
  else console.error(e);
  process.exit(1);
});
