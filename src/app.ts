import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from './config/env';
import type { Database } from './db/client';
import { log } from './log';
import type { Queues } from './queues/queues';
import type { TokenManager } from './zalo/tokens';
import { createFakeZaloRouter, type SentLog } from './sandbox/fake-zalo-api';
import { createSandboxRouter } from './sandbox/routes';
import { MediaStore } from './sandbox/media-store';
import { SANDBOX_OA_ID } from './config/env';
import { mountApi } from './api';
import { createConsoleRouter } from './console/pages';
import type { ApiDeps } from './api/router';

export interface AppDeps {
  config: Config;
  database: Pick<Database, 'kind' | 'ping'>;
  producer: Redis;
  queues: Queues;
  tokens: Pick<TokenManager, 'status'>;
  /** Present in sandbox mode: the stand-in Zalo API records what the bot sends here. */
  sentLog?: SentLog;
  /** POST /webhooks/zalo; the server also calls it directly, ahead of Express. */
  webhook: (req: IncomingMessage, res: ServerResponse) => void;
  /** Events in the intake stream not yet moved into the workers' queue. */
  intakeBacklog: () => Promise<number>;
  /** Where this process also runs the workers: whether they are running yet (absent: a web-only process). */
  workersRunning?: () => boolean;
  /** The webhook URL as the server itself reaches it (sandbox posts through the real path). */
  selfUrl: () => string;
  /** The console's JSON API under /api. */
  api?: ApiDeps;
}

async function probe(p: Promise<unknown>, ms = 1000): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      p,
      new Promise((_, rej) => (timer = setTimeout(() => rej(new Error(`no answer in ${ms} ms`)), ms))),
    ]);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use((_req, res, next) => {
    res.set({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const [redis, db] = await Promise.all([probe(deps.producer.ping()), probe(deps.database.ping())]);
    // A failed token refresh is an alert for people, not a reason to stop taking webhooks.
    const zalo = await deps.tokens.status().catch((e: unknown) => ({ state: 'alert', refreshError: String(e) }));
    const workers = deps.workersRunning ? { running: deps.workersRunning() } : undefined;
    // Webhooks are taken (and kept) while the workers start, but nothing is answered yet: not ready.
    const ready = redis.ok && db.ok && workers?.running !== false;
    // Events taken by the webhook and not yet moved into the workers' queue: a growing number means
    // no worker is running or they cannot keep up.
    const intakeBacklog = redis.ok ? await deps.intakeBacklog().catch(() => undefined) : undefined;
    const starting = redis.ok && workers?.running === false;
    const notReady = starting ? 'starting' : 'not_ready';
    res.status(ready ? 200 : 503).json({
      status: !ready ? notReady : zalo.state === 'ok' ? 'ready' : 'degraded',
      redis: { ...redis, intakeBacklog },
      database: { ...db, kind: deps.database.kind },
      zalo: { ...zalo, sandbox: deps.config.sandbox },
      ...(workers ? { workers } : {}),
    });
  });

  app.post('/webhooks/zalo', deps.webhook);

  if (deps.config.sandbox && deps.sentLog) {
    const media = new MediaStore();
    app.use('/sandbox/zalo', createFakeZaloRouter(deps.sentLog, { media }));
    app.use(
      '/sandbox',
      createSandboxRouter({
        sentLog: deps.sentLog,
        appId: deps.config.zalo.appId,
        oaId: SANDBOX_OA_ID,
        secret: deps.config.zalo.webhookSecret,
        webhookUrl: () => `${deps.selfUrl()}/webhooks/zalo`,
        media,
        mediaBaseUrl: () => `${deps.selfUrl()}/sandbox/zalo/media`,
      }),
    );
    app.get('/', (_req, res) => res.redirect('/sandbox'));
  }

  if (deps.api) {
    mountApi(app, deps.api);
    app.use('/console', createConsoleRouter());
  }

  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such route.' } });
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    log.error('unhandled request error', { error: err });
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal error.' } });
  });
  return app;
}
