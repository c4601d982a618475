import path from 'node:path';
import { z } from 'zod';
import { ATTACHMENT_TYPE_NAMES } from '../attachments/types';

/**
 * The one place the process reads its environment. Every variable is documented in .env.example
 * with the same default; a bad value stops the process with a message naming the variable.
 */
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().min(1).optional());
const url = (fallback: string) => z.preprocess(emptyToUndefined, z.url().default(fallback));
const int = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

/** A comma-separated list, each item lower-cased; with `allowed`, only those items. */
const list = (fallback: string, allowed?: readonly string[]) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default(fallback)
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(allowed ? z.enum(allowed as [string, ...string[]]) : z.string().regex(/^[a-z0-9.-]+$/)).min(1)),
  );

const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  PORT: int(3000, 0, 65535),
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  DATABASE_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  REDIS_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  ZALO_APP_ID: optionalString,
  ZALO_APP_SECRET: optionalString,
  ZALO_OA_SECRET_KEY: optionalString,
  ZALO_ACCESS_TOKEN: optionalString,
  ZALO_REFRESH_TOKEN: optionalString,
  ZALO_OPENAPI_URL: url('https://openapi.zalo.me'),
  ZALO_OAUTH_URL: url('https://oauth.zaloapp.com'),
  /** Which secret signs webhooks: Zalo's docs say the OA Secret Key, some write-ups the App Secret. */
  ZALO_WEBHOOK_SECRET: z.preprocess(emptyToUndefined, z.enum(['oa_secret_key', 'app_secret']).default('oa_secret_key')),
  ZALO_SEND_RATE_PER_MIN: int(4000, 1, 1_000_000),
  WEBHOOK_BODY_LIMIT_KB: int(256, 1, 10_240),
  SHUTDOWN_DEADLINE_MS: int(10_000, 100, 120_000),
  PROVINCE_CODE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[a-z0-9-]{2,40}$/)
      .default('can-tho'),
  ),
  QUEUE_PREFIX: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[a-z0-9_-]{1,32}$/i, 'letters, digits, _ or -')
      .default('cchc'),
  ),
  JOB_LOCK_MS: int(30_000, 500, 600_000),
  JOB_STALLED_CHECK_MS: int(30_000, 200, 600_000),
  INTAKE_BURST_MS: int(2500, 0, 60_000),
  INTAKE_SETTLE_MS: int(300, 0, 60_000),
  SPAM_MAX_PER_MINUTE: int(15, 1, 1000),
  SPAM_MUTE_MINUTES: int(10, 1, 24 * 60),
  REOPEN_DAYS: int(30, 1, 365),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['debug', 'info', 'warn', 'error']).default('info')),
  CONSOLE_SECURE_COOKIES: z.preprocess(emptyToUndefined, z.enum(['auto', 'true', 'false']).default('auto')),
  SESSION_IDLE_MINUTES: int(30, 1, 24 * 60),
  SESSION_ABSOLUTE_HOURS: int(12, 1, 24 * 30),
  LOGIN_MAX_FAILURES_PER_EMAIL: int(5, 1, 1000),
  LOGIN_MAX_FAILURES_PER_IP: int(30, 1, 100_000),
  LOGIN_WINDOW_MINUTES: int(15, 1, 24 * 60),
  ATTACHMENT_MAX_BYTES: int(10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  ATTACHMENT_TYPES: list(ATTACHMENT_TYPE_NAMES.join(','), ATTACHMENT_TYPE_NAMES),
  ATTACHMENT_HOSTS: list('zdn.vn,zadn.vn,zalo.me'),
  ATTACHMENT_TIMEOUT_MS: int(30_000, 100, 600_000),
  ATTACHMENT_RETRY_BASE_MS: int(2000, 10, 600_000),
  ZALO_ZNS_URL: url('https://business.openapi.zalo.me/message/template'),
  ZNS_TEMPLATE_PROGRESS: optionalString,
  ZNS_TEMPLATE_ANSWER: optionalString,
  ZNS_TEMPLATE_RATING: optionalString,
  SMTP_URL: z.preprocess(emptyToUndefined, z.url().optional()),
  SMTP_HOST: optionalString,
  SMTP_PORT: int(587, 1, 65535),
  SMTP_USER: optionalString,
  SMTP_PASS: optionalString,
  SMTP_FROM: z.preprocess(emptyToUndefined, z.string().default('Tổng đài CCHC <no-reply@localhost>')),
  DIGEST_DAILY_CRON: z.preprocess(emptyToUndefined, z.string().default('0 7 * * 1-5')),
  DIGEST_WEEKLY_CRON: z.preprocess(emptyToUndefined, z.string().default('30 7 * * 1')),
});

export type Env = z.infer<typeof envSchema>;

export interface ZaloConfig {
  appId: string;
  appSecret: string;
  /** The secret that signs webhook events (see ZALO_WEBHOOK_SECRET). */
  webhookSecret: string;
  accessToken?: string;
  refreshToken?: string;
  openApiUrl: string;
  oauthUrl: string;
  sendRatePerMin: number;
}

/** ZNS template ids (Zalo business API); an unset one means that message has no ZNS fallback. */
export interface ZnsConfig {
  url: string;
  templates: { progress?: string; answer?: string; rating?: string };
}

/** Where digests are mailed from; undefined = no SMTP configured (digests are recorded as skipped). */
export interface MailConfig {
  /** An SMTP URL (smtp://user:pass@host:port) or host/port/user/pass. */
  url?: string;
  host?: string;
  port: number;
  user?: string;
  pass?: string;
  from: string;
}

export interface DigestSchedule {
  /** Cron patterns in Asia/Ho_Chi_Minh. */
  dailyCron: string;
  weeklyCron: string;
}

export interface AttachmentConfig {
  maxBytes: number;
  /** Type names from ATTACHMENT_TYPE_NAMES; decided by the file's first bytes. */
  types: string[];
  /** Hosts attachments may come from: each name and its subdomains. */
  hosts: string[];
  timeoutMs: number;
  /** First retry delay of a failed download; each next one doubles. */
  retryBaseMs: number;
}

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** True when no Zalo credentials are set: the app serves its own stand-in of the Zalo API. */
  sandbox: boolean;
  zalo: ZaloConfig;
  webhookBodyLimitKb: number;
  shutdownDeadlineMs: number;
  queuePrefix: string;
  /** Whose routing configuration applies (data/provinces/<code>.json seeds it). */
  provinceCode: string;
  /** A job whose worker stops renewing its lock (a killed process) is re-run after about lock + check. */
  jobLockMs: number;
  jobStalledCheckMs: number;
  logLevel: Env['LOG_LEVEL'];
  console: ConsoleConfig;
  dialogue: DialogueSettings;
  attachments: AttachmentConfig;
  zns: ZnsConfig;
  mail?: MailConfig;
  digests: DigestSchedule;
}

export interface ConsoleConfig {
  secureCookies: 'auto' | 'always' | 'never';
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  loginMaxFailuresPerEmail: number;
  loginMaxFailuresPerIp: number;
  loginWindowMs: number;
}

/** The citizen dialogue's tunables (see .env.example). */
export interface DialogueSettings {
  /** Messages within this quiet time of each other are one burst: the bot answers once, after it. */
  burstMs: number;
  /**
   * The shorter wait once the draft already reads as a whole complaint: the citizen gets the summary
   * at once, and anything sent after it is still absorbed (the summary is shown again with it).
   */
  settleMs: number;
  /** More messages than this in a minute is spam: one polite notice, then silence for muteMinutes. */
  spamMaxPerMinute: number;
  spamMuteMinutes: number;
  /** How long after an answer "chưa được giải quyết" reopens the ticket. */
  reopenDays: number;
}

export const DEFAULT_DIALOGUE: DialogueSettings = {
  burstMs: 2500,
  settleMs: 300,
  spamMaxPerMinute: 15,
  spamMuteMinutes: 10,
  reopenDays: 30,
};

export const SANDBOX_APP_ID = '1000000000000000001';
export const SANDBOX_OA_ID = '2000000000000000002';
export const SANDBOX_SECRET = 'sandbox-oa-secret-key';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses an environment (process.env by default) into the typed config, or throws ConfigError. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = parsed.data;
  const sandbox = !e.ZALO_APP_ID;
  const problems: string[] = [];
  if (!sandbox) {
    if (!e.ZALO_APP_SECRET) problems.push('ZALO_APP_SECRET: required when ZALO_APP_ID is set');
    if (e.ZALO_WEBHOOK_SECRET === 'oa_secret_key' && !e.ZALO_OA_SECRET_KEY)
      problems.push('ZALO_OA_SECRET_KEY: required when ZALO_APP_ID is set (it signs webhook events)');
    if (!e.ZALO_ACCESS_TOKEN && !e.ZALO_REFRESH_TOKEN)
      problems.push('ZALO_REFRESH_TOKEN: required when ZALO_APP_ID is set (or ZALO_ACCESS_TOKEN)');
  }
  if (problems.length) throw new ConfigError(problems);
  const dataDir = path.resolve(e.DATA_DIR);
  const zalo: ZaloConfig = sandbox
    ? {
        appId: SANDBOX_APP_ID,
        appSecret: SANDBOX_SECRET,
        webhookSecret: SANDBOX_SECRET,
        accessToken: 'sandbox-access-token',
        refreshToken: 'sandbox-refresh-token',
        // Filled in with the real port once the server listens (see sandbox/).
        openApiUrl: `http://127.0.0.1:${e.PORT}/sandbox/zalo`,
        oauthUrl: `http://127.0.0.1:${e.PORT}/sandbox/zalo`,
        sendRatePerMin: e.ZALO_SEND_RATE_PER_MIN,
      }
    : {
        appId: e.ZALO_APP_ID!,
        appSecret: e.ZALO_APP_SECRET!,
        webhookSecret: e.ZALO_WEBHOOK_SECRET === 'app_secret' ? e.ZALO_APP_SECRET! : e.ZALO_OA_SECRET_KEY!,
        accessToken: e.ZALO_ACCESS_TOKEN,
        refreshToken: e.ZALO_REFRESH_TOKEN,
        openApiUrl: e.ZALO_OPENAPI_URL.replace(/\/+$/, ''),
        oauthUrl: e.ZALO_OAUTH_URL.replace(/\/+$/, ''),
        sendRatePerMin: e.ZALO_SEND_RATE_PER_MIN,
      };
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    sandbox,
    zalo,
    webhookBodyLimitKb: e.WEBHOOK_BODY_LIMIT_KB,
    shutdownDeadlineMs: e.SHUTDOWN_DEADLINE_MS,
    queuePrefix: e.QUEUE_PREFIX,
    provinceCode: e.PROVINCE_CODE,
    jobLockMs: e.JOB_LOCK_MS,
    jobStalledCheckMs: e.JOB_STALLED_CHECK_MS,
    logLevel: e.LOG_LEVEL,
    console: {
      secureCookies: ({ auto: 'auto', true: 'always', false: 'never' } as const)[e.CONSOLE_SECURE_COOKIES],
      sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
      sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
      loginMaxFailuresPerEmail: e.LOGIN_MAX_FAILURES_PER_EMAIL,
      loginMaxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      loginWindowMs: e.LOGIN_WINDOW_MINUTES * 60_000,
    },
    dialogue: {
      burstMs: e.INTAKE_BURST_MS,
      settleMs: e.INTAKE_SETTLE_MS,
      spamMaxPerMinute: e.SPAM_MAX_PER_MINUTE,
      spamMuteMinutes: e.SPAM_MUTE_MINUTES,
      reopenDays: e.REOPEN_DAYS,
    },
    attachments: {
      maxBytes: e.ATTACHMENT_MAX_BYTES,
      types: e.ATTACHMENT_TYPES,
      hosts: e.ATTACHMENT_HOSTS,
      timeoutMs: e.ATTACHMENT_TIMEOUT_MS,
      retryBaseMs: e.ATTACHMENT_RETRY_BASE_MS,
    },
    zns: {
      url: e.ZALO_ZNS_URL,
      templates: { progress: e.ZNS_TEMPLATE_PROGRESS, answer: e.ZNS_TEMPLATE_ANSWER, rating: e.ZNS_TEMPLATE_RATING },
    },
    mail:
      e.SMTP_URL || e.SMTP_HOST
        ? {
            url: e.SMTP_URL,
            host: e.SMTP_HOST,
            port: e.SMTP_PORT,
            user: e.SMTP_USER,
            pass: e.SMTP_PASS,
            from: e.SMTP_FROM,
          }
        : undefined,
    digests: { dailyCron: e.DIGEST_DAILY_CRON, weeklyCron: e.DIGEST_WEEKLY_CRON },
  };
}
