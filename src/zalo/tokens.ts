import crypto from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import { eq, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { ZaloConfig } from '../config/env';
import type { Db } from '../db/client';
import { zaloTokens } from '../db/schema';
import { AppError, errorMessage } from '../errors';
import { log } from '../log';
import { parseZaloJson } from './client';
import { ZaloApiError, type ZaloErrorKind } from './errors';

/**
 * The OA's OAuth pair. The refresh token is single-use: refreshing twice with the same token, or losing
 * the answer of a successful refresh, means an OA admin must grant access again. Hence one refresh at a
 * time across all processes (Redis lock) and the new pair written to Postgres before anyone uses it.
 */

/** Refresh this long before the access token expires, so sends never meet an expired token. */
export const REFRESH_AHEAD_MS = 60 * 60 * 1000;
const LOCK_TTL_MS = 30_000;
/** Kept well under the lock TTL so the lock cannot lapse while a refresh is still in flight. */
const OAUTH_TIMEOUT_MS = 10_000;
const PERSIST_ATTEMPTS = 4;
const LOCK_COMMAND_TIMEOUT_MS = 5_000;
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface TokenManagerOptions {
  db: Db;
  redis: Redis;
  config: ZaloConfig;
  now?: () => Date;
  /** How long a process without the lock waits for another one's refresh (default 10 s). */
  waitTimeoutMs?: number;
  pollMs?: number;
  /** After a failed ahead-of-expiry refresh, keep using the still-valid token this long before retrying. */
  retryAfterFailureMs?: number;
}

export interface TokenStatus {
  state: 'ok' | 'alert';
  refreshFailedAt?: Date;
  refreshError?: string;
  accessExpiresAt?: Date;
}

type TokenRow = typeof zaloTokens.$inferSelect;

const ROW_CACHE_MS = 5_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export class TokenManager {
  private readonly db: Db;
  private readonly redis: Redis;
  private readonly config: ZaloConfig;
  private readonly now: () => Date;
  private readonly http: AxiosInstance;
  private readonly lockKey: string;
  private seeded: Promise<void> | null = null;
  private inflight: Promise<string> | null = null;
  /** The stored row as last read, for a few seconds: every send asks for the token. */
  private cached: { row: TokenRow; readAt: number } | null = null;

  constructor(private readonly opts: TokenManagerOptions) {
    this.db = opts.db;
    this.redis = opts.redis;
    this.config = opts.config;
    this.now = opts.now ?? (() => new Date());
    this.lockKey = `zalo:token-refresh:${opts.config.appId}`;
    this.http = axios.create({
      timeout: OAUTH_TIMEOUT_MS,
      validateStatus: () => true,
      transformResponse: [parseZaloJson],
    });
  }

  /** The access token to use now; refreshed first when it expires within REFRESH_AHEAD_MS. */
  async getAccessToken(): Promise<string> {
    const row = await this.recentRow();
    if (!row.accessToken) return this.refresh(row.accessToken);
    const expiresAt = row.accessExpiresAt?.getTime();
    const now = this.now().getTime();
    if (expiresAt === undefined || expiresAt - now > REFRESH_AHEAD_MS) return row.accessToken;
    const stillValid = expiresAt > now;
    // A refresh just failed and the token still works: do not hammer OAuth on every send.
    if (
      stillValid &&
      row.refreshFailedAt &&
      now - row.refreshFailedAt.getTime() < (this.opts.retryAfterFailureMs ?? 60_000)
    )
      return row.accessToken;
    try {
      return await this.refresh(row.accessToken);
    } catch (e) {
      // The failure is recorded (status() alerts); sending goes on until the old token really expires.
      if (stillValid) return row.accessToken;
      throw e;
    }
  }

  /**
   * Gets a fresh access token. `staleAccessToken` is the token the caller saw fail: if the stored token
   * already differs, someone else refreshed and that token is returned without calling Zalo.
   */
  refresh(staleAccessToken?: string): Promise<string> {
    // Callers in one process share one attempt: N sends failing with −216 together mean one refresh.
    this.inflight ??= this.refreshShared(staleAccessToken).finally(() => {
      this.inflight = null;
      this.cached = null;
    });
    return this.inflight;
  }

  /** For /readyz: 'alert' after a failed refresh (until one succeeds) or when the token has expired. */
  async status(): Promise<TokenStatus> {
    try {
      await this.ensureSeeded();
    } catch (e) {
      return { state: 'alert', refreshError: errorMessage(e) };
    }
    const row = await this.readRow();
    if (!row) return { state: 'alert', refreshError: 'no Zalo token stored' };
    const expired = row.accessExpiresAt !== null && row.accessExpiresAt.getTime() <= this.now().getTime();
    const status: TokenStatus = { state: row.refreshFailedAt || expired || !row.accessToken ? 'alert' : 'ok' };
    if (row.refreshFailedAt) status.refreshFailedAt = row.refreshFailedAt;
    if (row.refreshError) status.refreshError = row.refreshError;
    if (row.accessExpiresAt) status.accessExpiresAt = row.accessExpiresAt;
    return status;
  }

  private async refreshShared(staleAccessToken?: string): Promise<string> {
    const stale = staleAccessToken ?? (await this.currentRow()).accessToken;
    const waitStart = this.now().getTime();
    const deadline = Date.now() + (this.opts.waitTimeoutMs ?? 10_000);
    for (;;) {
      const lockId = crypto.randomUUID();
      let acquired: boolean;
      try {
        // A bounded wait: a connection that queues commands while Redis is down must not hang every send.
        const set = this.redis.set(this.lockKey, lockId, 'PX', LOCK_TTL_MS, 'NX');
        acquired = (await withTimeout(set, LOCK_COMMAND_TIMEOUT_MS, 'Redis did not answer')) === 'OK';
      } catch (e) {
        // Refreshing without the lock could spend the single-use refresh token twice: refuse instead.
        throw this.error(`cannot take the refresh lock in Redis: ${errorMessage(e)}`, 0, 'transient');
      }
      if (acquired) {
        try {
          const row = await this.currentRow();
          return this.settledBy(row, stale, waitStart) ?? (await this.refreshNow(row));
        } finally {
          await this.redis.eval(RELEASE_LOCK, 1, this.lockKey, lockId).catch((e: unknown) => {
            log.warn('could not release the Zalo token lock; it expires by itself', { error: errorMessage(e) });
          });
        }
      }
      const settled = this.settledBy(await this.currentRow(), stale, waitStart);
      if (settled) return settled;
      if (Date.now() >= deadline)
        throw this.error('timed out waiting for another process to refresh the token', 0, 'transient');
      await sleep(this.opts.pollMs ?? 200);
    }
  }

  /**
   * Whether someone else already dealt with the stale token since we started: their new token, or their
   * failure (rethrown, so the same spent refresh token is not sent again), or null when nothing happened.
   */
  private settledBy(row: TokenRow, stale: string, since: number): string | null {
    if (row.accessToken && row.accessToken !== stale) return row.accessToken;
    if (row.refreshFailedAt && row.refreshFailedAt.getTime() >= since)
      throw this.error(row.refreshError ?? 'refresh failed in another process', 0, 'token');
    return null;
  }

  /** The OAuth call itself; only ever run while holding the lock. */
  private async refreshNow(row: TokenRow): Promise<string> {
    const { appId, appSecret, oauthUrl } = this.config;
    if (!row.refreshToken) return this.fail('no refresh token stored: an OA admin must grant access again', 0, 'token');
    const form = new URLSearchParams({ app_id: appId, grant_type: 'refresh_token', refresh_token: row.refreshToken });
    let status: number;
    let body: unknown;
    try {
      const res = await this.http.post(`${oauthUrl}/v4/oa/access_token`, form.toString(), {
        headers: { secret_key: appSecret, 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      status = res.status;
      body = res.data;
    } catch (e) {
      // Ambiguous: Zalo may have rotated the pair without us seeing the answer. Nothing to do but report.
      return this.fail(`OAuth request failed: ${errorMessage(e)}`, 0, 'transient');
    }
    const b = isRecord(body) ? body : {};
    const zaloCode = Number(b.error ?? 0);
    if (Number.isFinite(zaloCode) && zaloCode !== 0) {
      const why = [b.error_name, b.error_description ?? b.error_reason ?? b.message].filter(isText).join(': ');
      return this.fail(`Zalo OAuth error ${zaloCode}${why ? `: ${why}` : ''}`, zaloCode, 'token');
    }
    const accessToken = b.access_token;
    const refreshToken = b.refresh_token;
    if (!isText(accessToken) || !isText(refreshToken)) {
      const kind = status >= 500 || status === 0 ? 'transient' : 'token';
      return this.fail(`unexpected OAuth answer (HTTP ${status}, no token pair)`, 0, kind);
    }
    const expiresIn = Number(b.expires_in);
    const now = this.now();
    const accessExpiresAt =
      Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null;
    await this.persistPair(accessToken, refreshToken, accessExpiresAt, now);
    log.info('Zalo access token refreshed', { appId, accessExpiresAt: accessExpiresAt?.toISOString() ?? null });
    return accessToken;
  }

  /** The old refresh token is already spent, so the new pair is retried hard before giving up. */
  private async persistPair(accessToken: string, refreshToken: string, accessExpiresAt: Date | null, now: Date) {
    const set = {
      accessToken,
      refreshToken,
      accessExpiresAt,
      refreshedAt: now,
      refreshFailedAt: null,
      refreshError: null,
      updatedAt: now,
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db
          .insert(zaloTokens)
          .values({ appId: this.config.appId, seedFingerprint: envFingerprint(this.config), ...set })
          .onConflictDoUpdate({ target: zaloTokens.appId, set });
        return;
      } catch (e) {
        if (attempt >= PERSIST_ATTEMPTS) {
          log.error('Zalo token pair refreshed but NOT saved: an OA admin will have to grant access again', {
            appId: this.config.appId,
            error: errorMessage(e),
          });
          throw this.error(`new token pair could not be saved: ${errorMessage(e)}`, 0, 'token');
        }
        await sleep(250 * attempt);
      }
    }
  }

  private async fail(reason: string, zaloCode: number, kind: ZaloErrorKind): Promise<never> {
    const now = this.now();
    try {
      await this.db
        .update(zaloTokens)
        .set({ refreshFailedAt: now, refreshError: reason.slice(0, 1000), updatedAt: now })
        .where(eq(zaloTokens.appId, this.config.appId));
    } catch (e) {
      log.error('could not record the Zalo token refresh failure', { error: errorMessage(e) });
    }
    log.error('Zalo token refresh failed', { appId: this.config.appId, reason, zaloCode });
    throw this.error(reason, zaloCode, kind);
  }

  private error(reason: string, zaloCode: number, kind: ZaloErrorKind): ZaloApiError {
    return new ZaloApiError('ZALO_TOKEN_REFRESH_FAILED', `Zalo token refresh failed: ${reason}`, zaloCode, kind, {
      appId: this.config.appId,
    });
  }

  /**
   * The row read at most ROW_CACHE_MS ago. A token another process refreshed meanwhile is at worst
   * used once more: Zalo's −216 on it leads to refresh(stale), which reads the stored row afresh.
   */
  private async recentRow(): Promise<TokenRow> {
    const now = performance.now();
    if (this.cached && now - this.cached.readAt < ROW_CACHE_MS) return this.cached.row;
    const row = await this.currentRow();
    this.cached = { row, readAt: now };
    return row;
  }

  private async currentRow(): Promise<TokenRow> {
    await this.ensureSeeded();
    const row = await this.readRow();
    if (!row) throw new AppError('ZALO_TOKEN_INVALID', `No Zalo token stored for app ${this.config.appId}`);
    return row;
  }

  private async readRow(): Promise<TokenRow | undefined> {
    const rows = await this.db.select().from(zaloTokens).where(eq(zaloTokens.appId, this.config.appId)).limit(1);
    return rows[0];
  }

  private ensureSeeded(): Promise<void> {
    this.seeded ??= this.seed().catch((e: unknown) => {
      this.seeded = null;
      throw e;
    });
    return this.seeded;
  }

  /**
   * Writes the env pair when there is no row, or when the env pair changed since the row was seeded
   * (an admin granted access again). A row already seeded from this env pair is left alone: its tokens
   * are newer than the env's, whose refresh token has been spent.
   */
  private async seed(): Promise<void> {
    const { appId, accessToken, refreshToken } = this.config;
    const fingerprint = envFingerprint(this.config);
    if (!fingerprint) {
      if (!(await this.readRow()))
        throw new AppError('ZALO_TOKEN_INVALID', `No Zalo token for app ${appId}: set ZALO_REFRESH_TOKEN`);
      return;
    }
    const now = this.now();
    const values = {
      accessToken: accessToken ?? '',
      refreshToken: refreshToken ?? null,
      accessExpiresAt: null,
      seedFingerprint: fingerprint,
      refreshedAt: null,
      refreshFailedAt: null,
      refreshError: null,
      updatedAt: now,
    };
    // One statement, conditional on the fingerprint, so a process starting late cannot overwrite a pair
    // that another process seeded and already refreshed.
    const written = await this.db
      .insert(zaloTokens)
      .values({ appId, ...values })
      .onConflictDoUpdate({
        target: zaloTokens.appId,
        set: values,
        setWhere: sql`${zaloTokens.seedFingerprint} is distinct from ${fingerprint}`,
      })
      .returning({ appId: zaloTokens.appId });
    if (written.length) log.info('Zalo token pair seeded from the environment', { appId });
  }
}

/** Identifies the env pair without storing it: sha256 of the refresh token (or of the access token). */
export function envFingerprint(config: ZaloConfig): string | null {
  if (config.refreshToken) return sha256(config.refreshToken);
  if (config.accessToken) return sha256(`access:${config.accessToken}`);
  return null;
}

function withTimeout<T>(promise: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(reason)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isText(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}
