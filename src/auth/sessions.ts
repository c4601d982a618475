import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * Console sessions in Redis. The cookie carries a random id; Redis keeps only its hash, so a dump of
 * Redis does not hand out live sessions. A session ends after idleMs without use, and absoluteMs
 * after login whatever happens; the CSRF token (synchroniser pattern) lives in the session.
 */
const sessionSchema = z.object({
  userId: z.number().int().positive(),
  csrf: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
});
export type Session = z.infer<typeof sessionSchema> & { id: string };

export interface SessionOptions {
  idleMs: number;
  absoluteMs: number;
  now?: () => number;
}

const hashId = (id: string) => crypto.createHash('sha256').update(id).digest('base64url');
const token = () => crypto.randomBytes(32).toString('base64url');

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly opts: SessionOptions,
  ) {}

  private key = (id: string) => `${this.prefix}:session:${hashId(id)}`;
  private now = () => (this.opts.now ?? Date.now)();

  private ttlMs(s: z.infer<typeof sessionSchema>): number {
    return Math.min(this.opts.idleMs, s.createdAt + this.opts.absoluteMs - this.now());
  }

  async create(userId: number): Promise<Session> {
    const id = token();
    const t = this.now();
    const s = { userId, csrf: token(), createdAt: t, lastSeenAt: t };
    await this.redis.set(this.key(id), JSON.stringify(s), 'PX', this.ttlMs(s));
    return { ...s, id };
  }

  /** The live session for a cookie value, its idle clock restarted; undefined when expired or unknown. */
  async touch(id: string): Promise<Session | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const raw = await this.redis.get(this.key(id));
    if (!raw) return undefined;
    const parsed = sessionSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return undefined;
    const s = { ...parsed.data, lastSeenAt: this.now() };
    const ttl = this.ttlMs(s);
    if (ttl <= 0 || this.now() - parsed.data.lastSeenAt > this.opts.idleMs) {
      await this.destroy(id);
      return undefined;
    }
    await this.redis.set(this.key(id), JSON.stringify(s), 'PX', ttl);
    return { ...s, id };
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }
}

/** Constant-time comparison of the CSRF token a request carries with the session's. */
export function csrfMatches(session: Session, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(given);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
