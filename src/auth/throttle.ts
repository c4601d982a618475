import crypto from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Failed-login counters in Redis, per e-mail address (guessing one account's password) and per client
 * IP (trying many accounts). Past the limit, logins are refused until the window passes, even with
 * the right password, so an attacker cannot tell when a guess was right.
 */
export interface ThrottleLimits {
  perEmail: number;
  perIp: number;
  windowMs: number;
}

export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: ThrottleLimits,
  ) {}

  private keys(email: string, ip: string) {
    const e = crypto.createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
    return { email: `${this.prefix}:login-fail:email:${e}`, ip: `${this.prefix}:login-fail:ip:${ip}` };
  }

  /** Milliseconds until a login may be tried again, or 0 when it may be tried now. */
  async blockedFor(email: string, ip: string): Promise<number> {
    const k = this.keys(email, ip);
    const replies = await this.redis.multi().get(k.email).get(k.ip).pttl(k.email).pttl(k.ip).exec();
    const [e, i, et, it] = (replies ?? []).map(([, v]) => Number(v ?? 0));
    let wait = 0;
    if (e! >= this.limits.perEmail) wait = Math.max(wait, et!);
    if (i! >= this.limits.perIp) wait = Math.max(wait, it!);
    return Math.max(wait, 0);
  }

  async failed(email: string, ip: string): Promise<void> {
    const k = this.keys(email, ip);
    // The window starts at the first failure (SET NX; INCR keeps the expiry), so steady guessing
    // cannot keep extending it.
    const w = this.limits.windowMs;
    await this.redis.multi().set(k.email, 0, 'PX', w, 'NX').incr(k.email).set(k.ip, 0, 'PX', w, 'NX').incr(k.ip).exec();
  }

  async succeeded(email: string, ip: string): Promise<void> {
    await this.redis.del(this.keys(email, ip).email);
  }
}
