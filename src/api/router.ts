import express, { type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ConsoleConfig } from '../config/env';
import type { Db } from '../db/client';
import { log } from '../log';
import type { Queues } from '../queues/queues';
import { SessionStore, csrfMatches, type Session } from '../auth/sessions';
import { LoginThrottle } from '../auth/throttle';
import { findUser, roleOf } from '../auth/users';
import type { Actor } from '../auth/roles';
import { ApiError } from './errors';
import type { Endpoint } from './define';

export const SESSION_COOKIE = 'cchc_sid';

export interface ApiDeps {
  /** Undefined while the database is not reachable yet (split mode starting): 503. */
  db: () => Db | undefined;
  redis: Redis;
  /** Namespaces the Redis keys (the queue prefix, unique per test). */
  keyPrefix: string;
  console: ConsoleConfig;
  provinceCode: string;
  queues: Queues;
  /** Where citizens' attachments are stored (DATA_DIR). */
  dataDir: string;
}

/** What endpoint handlers get besides the request: the services, ready to use. */
export interface ApiServices {
  db: Db;
  deps: ApiDeps;
  sessions: SessionStore;
  throttle: LoginThrottle;
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

export function setSessionCookie(req: Request, res: Response, cfg: ConsoleConfig, value: string | null): void {
  const secure = cfg.secureCookies === 'always' || (cfg.secureCookies === 'auto' && req.secure);
  const parts = [`${SESSION_COOKIE}=${value ?? ''}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (secure) parts.push('Secure');
  // The cookie lives no longer than the absolute limit; the server enforces both limits anyway.
  parts.push(value ? `Max-Age=${Math.floor(cfg.sessionAbsoluteMs / 1000)}` : 'Max-Age=0');
  res.append('Set-Cookie', parts.join('; '));
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A login form posted from another site is refused: browsers send Origin on cross-site POSTs. */
function sameOrigin(req: Request): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export interface Authenticated {
  session: Session;
  actor: Actor;
}

/** The session's user as they are now: a disabled account or a changed role takes effect at once. */
export async function authenticate(req: Request, s: ApiServices): Promise<Authenticated> {
  const sid = readCookie(req, SESSION_COOKIE);
  const session = sid ? await s.sessions.touch(sid) : undefined;
  if (!session) throw new ApiError('UNAUTHENTICATED', 'Phiên đăng nhập đã hết hạn hoặc chưa đăng nhập.');
  const user = await findUser(s.db, session.userId);
  if (!user || user.disabled) {
    await s.sessions.destroy(session.id);
    throw new ApiError('UNAUTHENTICATED', 'Tài khoản không còn hiệu lực.');
  }
  const actor: Actor = { userId: user.id, email: user.email, role: roleOf(user), unitCode: user.unitCode };
  if (MUTATING.has(req.method) && !csrfMatches(session, req.get('x-csrf-token'))) {
    throw new ApiError('CSRF_FAILED', 'Thiếu hoặc sai mã chống giả mạo yêu cầu (CSRF).');
  }
  return { session, actor };
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new ApiError(
      'BAD_REQUEST',
      `Invalid ${where}: ${r.error.issues.map((i) => `${i.path.join('.') || where}: ${i.message}`).join('; ')}`,
      r.error.issues.map((i) => ({ path: i.path, message: i.message })),
    );
  }
  return r.data;
}

export function sendError(res: Response, e: unknown): void {
  if (e instanceof ApiError) {
    res.set(e.headers);
    res
      .status(e.status)
      .json({ error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } });
    return;
  }
  log.error('api request failed', { error: e });
  res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal error.' } });
}

export function createApiRouter(
  deps: ApiDeps,
  endpoints: Endpoint[],
  extra?: (s: () => ApiServices) => void,
): express.Router {
  const router = express.Router();
  const sessions = new SessionStore(deps.redis, deps.keyPrefix, {
    idleMs: deps.console.sessionIdleMs,
    absoluteMs: deps.console.sessionAbsoluteMs,
  });
  const throttle = new LoginThrottle(deps.redis, deps.keyPrefix, {
    perEmail: deps.console.loginMaxFailuresPerEmail,
    perIp: deps.console.loginMaxFailuresPerIp,
    windowMs: deps.console.loginWindowMs,
  });
  const services = (): ApiServices => {
    const db = deps.db();
    if (!db) throw new ApiError('UNAVAILABLE', 'The database is starting; try again in a moment.');
    return { db, deps, sessions, throttle };
  };
  extra?.(services);
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(express.json({ limit: '200kb' }));
  for (const e of endpoints) {
    router[e.method](e.path, async (req: Request, res: Response) => {
      try {
        const s = services();
        let actor: Actor | undefined;
        if (e.roles === 'public') {
          if (MUTATING.has(req.method) && !sameOrigin(req))
            throw new ApiError('CSRF_FAILED', 'Cross-site request refused.');
        } else {
          actor = (await authenticate(req, s)).actor;
          if (e.roles !== 'any' && !e.roles.includes(actor.role)) {
            throw new ApiError('FORBIDDEN', 'Vai trò của bạn không được làm việc này.');
          }
        }
        const ctx = {
          params: parse(e.params, req.params, 'path'),
          query: parse(e.query, req.query, 'query'),
          body: parse(e.body, req.body ?? {}, 'body'),
          actor: actor!,
          req,
          res,
          services: s,
        };
        const result = await e.handler(ctx);
        if (!res.headersSent) res.json(result ?? { ok: true });
      } catch (err) {
        sendError(res, err);
      }
    });
  }
  router.use((_req, res) => sendError(res, new ApiError('NOT_FOUND', 'No such API route.')));
  // Malformed JSON and oversized bodies reach here from express.json().
  router.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) =>
    sendError(res, err.status && err.status < 500 ? new ApiError('BAD_REQUEST', err.message) : err),
  );
  return router;
}
