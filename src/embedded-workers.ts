import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Config } from './config/env';
import { AppError } from './errors';
import { log } from './log';
import type { TokenStatus } from './zalo/tokens';

/**
 * `npm start`'s workers on a thread of their own, with the embedded database (PGlite) there when
 * DATABASE_URL is unset. PGlite runs every query synchronously on the thread that owns it, and the
 * workers' JavaScript is most of a message's CPU; on the web server's thread either stalled webhooks
 * (docs/benchmarks.md). With PGlite the web thread keeps Redis and HTTP only and asks this thread
 * for the database's health and the token state; with PostgreSQL it has its own pool.
 */
export interface EmbeddedWorkers {
  ping(): Promise<void>;
  tokenStatus(): Promise<TokenStatus>;
  stop(deadlineMs: number): Promise<void>;
}

type Reply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: string };

export async function startEmbeddedWorkers(config: Config, prefix: string): Promise<EmbeddedWorkers> {
  const entry = path.join(__dirname, 'worker-thread.cjs');
  const thread = new Worker(entry, { workerData: { config, prefix }, execArgv: process.execArgv });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let stopping = false;
  await new Promise<void>((resolve, reject) => {
    thread.once('message', (m: { type?: string; error?: string }) =>
      m.type === 'ready' ? resolve() : reject(new AppError('DB_EMBEDDED_IN_USE', m.error ?? 'worker thread failed')),
    );
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`worker thread exited during start (${code})`)));
  });
  thread.on('message', (m: Reply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(m.error));
  });
  thread.on('error', (e) => log.error('worker thread failed', { error: e }));
  thread.on('exit', (code) => {
    if (stopping) return;
    // Without its workers the hotline would take webhooks it never answers: stop, and let the supervisor restart.
    log.error('worker thread stopped unexpectedly; exiting', { code });
    process.exit(1);
  });
  const call = <T>(type: string, payload: object = {}, timeoutMs = 2000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`worker thread did not answer "${type}" in ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      thread.postMessage({ id, type, ...payload });
    });
  return {
    ping: () => call<void>('ping'),
    tokenStatus: () => call<TokenStatus>('token-status'),
    stop: async (deadlineMs) => {
      stopping = true;
      await call('stop', {}, deadlineMs + 5000).catch((e) => log.warn('worker thread stop', { error: e }));
      await thread.terminate();
    },
  };
}
