import { Redis, type RedisOptions } from 'ioredis';

/**
 * The two kinds of Redis connection BullMQ needs.
 * - worker: blocking commands must wait out outages, so requests are retried forever (BullMQ requires it).
 * - producer: the webhook must fail fast so it can answer 503 and let Zalo redeliver.
 */
export type ConnectionKind = 'worker' | 'producer';

export function redisOptions(url: string, kind: ConnectionKind): RedisOptions {
  const base: RedisOptions = {
    lazyConnect: false,
    connectionName: `cchc-${kind}`,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
  const parsed = new URL(url);
  const fromUrl: RedisOptions = {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
  if (kind === 'worker') return { ...base, ...fromUrl, maxRetriesPerRequest: null, enableReadyCheck: true };
  // Auto-pipelining batches the webhook's concurrent queue.add calls into fewer round trips.
  return {
    ...base,
    ...fromUrl,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: 1500,
    enableAutoPipelining: true,
  };
}

export function createRedis(url: string, kind: ConnectionKind): Redis {
  const r = new Redis(redisOptions(url, kind));
  // Connection errors are reported through readiness and job failures; an unhandled 'error' would crash.
  r.on('error', () => undefined);
  return r;
}

/** The same options typed for BullMQ, which opens (and closes) its own connections from them. */
export function bullConnection(url: string, kind: ConnectionKind): import('bullmq').ConnectionOptions {
  return redisOptions(url, kind) as import('bullmq').ConnectionOptions;
}
