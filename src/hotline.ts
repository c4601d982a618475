import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { Config } from './config/env';
import { openDatabase, openSharedDatabase, type Database } from './db/client';
import { AppError } from './errors';
import { log } from './log';
import { createQueues, type Queues } from './queues/queues';
import { appendToIntake, intakeBacklog } from './queues/intake-stream';
import { bullConnection, createRedis } from './redis/connection';
import { startLocalRedis, type LocalRedis } from './redis/local-server';
import { SentLog } from './sandbox/fake-zalo-api';
import { ZaloClient } from './zalo/client';
import { TokenManager } from './zalo/tokens';
import { createApp } from './app';
import { createZaloWebhookHandler } from '../webhooks/zalo-webhook';
import { startEmbeddedWorkers, type EmbeddedWorkers } from './embedded-workers';
import { Classifier } from './classify/model';
import { RoutingConfigCache } from './routing/config-store';
import { createUnderstand } from './understand/understand';
import { namesOf } from './routing/names';
import { createSmtpMailer } from './digests/smtp-mailer';
import { startWorkers, type RunningWorkers, type WorkerDeps } from '../workers/start-workers';

export type Role = 'main' | 'web' | 'worker';

export interface Hotline {
  /** Base URL of the HTTP server (web and main roles). */
  url?: string;
  /** Absent in the web thread when the embedded database lives on the workers' thread. */
  database?: Database;
  tokens?: TokenManager;
  queues: Queues;
  sentLog?: SentLog;
  workers?: RunningWorkers;
  stop(): Promise<void>;
}

async function waitForRedis(redis: Redis, url: string, ms = 15_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new AppError('REDIS_UNAVAILABLE', `Redis at ${new URL(url).host} did not answer within ${ms / 1000} s.`));
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}

/** Queues must never lose keys: an evicting Redis silently drops jobs under memory pressure. */
async function warnUnlessNoEviction(redis: Redis): Promise<void> {
  try {
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    if (policy !== 'noeviction') {
      log.error('Redis maxmemory-policy must be noeviction for the queues; set it on the server', { policy });
    }
  } catch {
    // Managed Redis services may refuse CONFIG; their policy is the operator's to check.
  }
}

export interface StartOptions {
  role: Role;
  /** BullMQ key prefix; tests use a unique one. */
  prefix?: string;
  /** Reuse an open database (tests); otherwise one is opened from the config. */
  database?: Database;
  /** Worker tuning (tests shorten lock and stall intervals). */
  workerOptions?: Partial<Pick<WorkerDeps, 'lockDurationMs' | 'stalledIntervalMs' | 'rateLimitPauseMs' | 'schedule'>>;
  /** Exact origins attachments may also be downloaded from, private or not (tests' stand-in CDN). */
  attachmentOrigins?: string[];
}

/**
 * Brings the hotline up: Redis (a private server when REDIS_URL is unset), the database with its
 * migrations, queues, the Zalo client, then the web server and/or the workers. stop() undoes it all
 * in reverse, with the configured deadline for active jobs.
 */
export async function startHotline(config: Config, opts: StartOptions): Promise<Hotline> {
  const cleanup: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of cleanup.reverse()) await step().catch((e) => log.warn('shutdown step failed', { error: e }));
    cleanup.length = 0;
  };
  try {
    let localRedis: LocalRedis | undefined;
    if (!config.redisUrl) {
      localRedis = await startLocalRedis(path.join(config.dataDir, 'redis'));
      cleanup.push(() => localRedis!.stop());
      log.info('started a private redis-server', { url: localRedis.url });
    }
    const redisUrl = config.redisUrl ?? localRedis!.url;
    // `npm start`: the workers get a thread of their own, so webhooks never wait behind their
    // JavaScript (on PostgreSQL at 50 msg/s they shared one thread, POST→200 p50 37 ms). With the
    // embedded database, PGlite lives on that thread and the web thread reaches it by its socket.
    const split = opts.role === 'main' && !opts.database;
    const pgliteDir = path.join(config.dataDir, 'pglite');
    // PGlite admits one process: the one that opens it serves it on a socket for the others (CLIs).
    const database =
      split && !config.databaseUrl
        ? undefined
        : (opts.database ?? (await openDatabase({ url: config.databaseUrl, pgliteDir, serve: true })));
    if (database && !opts.database) cleanup.push(() => database.close());
    let embedded: EmbeddedWorkers | undefined;
    /** In split mode the web thread reaches the workers' thread's PGlite through its socket. */
    let viaSocket: Database | undefined;
    const notYet = () => Promise.reject(new Error('the workers are starting'));
    // `main` answers /readyz with 503 until its workers run: the web server listens first (the
    // sandbox's Zalo stand-in is reached on its port), and loading the workers takes seconds.
    let workersUp = false;
    const prefix = opts.prefix ?? config.queuePrefix;
    // Fail fast only where a webhook waits on it. A worker-only process (the embedded workers'
    // thread included) runs long synchronous PGlite work on its event loop, and a 1.5 s command
    // timeout there fires on answers that already arrived.
    const producer = createRedis(redisUrl, opts.role === 'worker' ? 'worker' : 'producer');
    cleanup.push(() => producer.quit().catch(() => producer.disconnect()));
    await waitForRedis(producer, redisUrl);
    await warnUnlessNoEviction(producer);
    const queues = createQueues(producer, prefix);
    cleanup.push(() => queues.close());
    const lockRedis = createRedis(redisUrl, 'worker');
    cleanup.push(() => lockRedis.quit().catch(() => lockRedis.disconnect()));

    const sentLog = config.sandbox ? new SentLog() : undefined;
    let url: string | undefined;
    const tokens = database ? new TokenManager({ db: database.db, redis: lockRedis, config: config.zalo }) : undefined;
    if (opts.role !== 'worker') {
      let port = config.port;
      const webhook = createZaloWebhookHandler({
        appId: config.zalo.appId,
        secret: config.zalo.webhookSecret,
        enqueue: (job) => appendToIntake(producer, prefix, job),
        bodyLimitKb: config.webhookBodyLimitKb,
      });
      const app = createApp({
        webhook,
        config,
        database: database ?? { kind: 'pglite', ping: () => (embedded ? embedded.ping() : notYet()) },
        producer,
        queues,
        tokens: tokens ?? { status: () => (embedded ? embedded.tokenStatus() : notYet()) },
        sentLog,
        selfUrl: () => `http://127.0.0.1:${port}`,
        intakeBacklog: () => intakeBacklog(producer, prefix),
        workersRunning: opts.role === 'main' ? () => workersUp : undefined,
        api: {
          db: () => (database ?? viaSocket)?.db,
          redis: producer,
          keyPrefix: prefix,
          console: config.console,
          provinceCode: config.provinceCode,
          queues,
          dataDir: config.dataDir,
        },
      });
      const server = http.createServer((req, res) =>
        req.method === 'POST' && req.url === '/webhooks/zalo' ? webhook(req, res) : app(req, res),
      );
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => resolve());
      });
      port = (server.address() as AddressInfo).port;
      url = `http://127.0.0.1:${port}`;
      if (config.sandbox) {
        config.zalo.openApiUrl = `${url}/sandbox/zalo`;
        config.zalo.oauthUrl = `${url}/sandbox/zalo`;
      }
      cleanup.push(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
            // Open event streams (sandbox page) would hold close() forever.
            setTimeout(() => server.closeAllConnections(), 1000).unref();
          }),
      );
      log.info('web server listening', { url, sandbox: config.sandbox });
    }
    let workers: RunningWorkers | undefined;
    if (split) {
      // Started after the web server, whose port the sandbox's Zalo stand-in is reached on.
      embedded = await startEmbeddedWorkers({ ...config, redisUrl }, prefix);
      cleanup.push(() => embedded!.stop(config.shutdownDeadlineMs));
      if (!database) {
        viaSocket = await openSharedDatabase({ pgliteDir, migrate: false });
        cleanup.push(() => viaSocket!.close());
      }
      workersUp = true;
      log.info(`workers running (own thread, ${database ? 'PostgreSQL' : 'embedded database'})`);
    } else if (opts.role !== 'web' && database && tokens) {
      const zalo = new ZaloClient({ config: config.zalo, tokens, znsUrl: config.zns.url });
      const mailer = createSmtpMailer(config.mail);
      if (mailer) cleanup.push(async () => mailer.close());
      // The model and the routing rules are data: the model ships in data/model, the rules live in
      // the database (seeded from data/provinces) so administrators change them without a release.
      const routing = new RoutingConfigCache(database.db, config.provinceCode);
      await routing.get();
      const understand = createUnderstand(Classifier.load(), routing);
      workers = await startWorkers({
        db: database.db,
        connection: bullConnection(redisUrl, 'worker'),
        prefix,
        queues,
        zalo,
        tokens,
        sendRatePerMin: config.zalo.sendRatePerMin,
        understand,
        provinceCode: config.provinceCode,
        zns: config.zns,
        mailer,
        digestSchedule: config.digests,
        dialogue: config.dialogue,
        names: () => namesOf(routing.peek()?.config),
        attachments: {
          dataDir: config.dataDir,
          config: config.attachments,
          // In sandbox mode the "Zalo media URLs" are served by the app's own stand-in.
          origins: [
            ...(config.sandbox ? [new URL(config.zalo.openApiUrl).origin] : []),
            ...(opts.attachmentOrigins ?? []),
          ],
        },
        // PGlite runs one query at a time on this thread: more concurrent jobs only queue behind each
        // other and starve the webhook (measured: 40–142 → 405–622 req/s on ingest with 1).
        ...(database.kind === 'pglite'
          ? { inboundConcurrency: 1, outboundConcurrency: 2, attachmentConcurrency: 2 }
          : {}),
        lockDurationMs: config.jobLockMs,
        stalledIntervalMs: config.jobStalledCheckMs,
        ...opts.workerOptions,
      });
      cleanup.push(() => workers!.close(config.shutdownDeadlineMs));
      workersUp = true;
      log.info('workers running');
    }
    return { url, database, tokens, queues, sentLog, workers, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
