import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import type { ZaloConfig } from '../config/env';
import { errorMessage } from '../errors';
import { log } from '../log';
import {
  classifyHttpStatus,
  classifyZaloError,
  classifyZnsError,
  rejectedZaloError,
  transientZaloError,
  ZaloApiError,
} from './errors';
import { csMessageSchema, type CsMessage } from './messages';
import type { TokenManager } from './tokens';

/**
 * The only code that talks to the Zalo OA API. Every answer is read through `body.error` (Zalo reports
 * failures as HTTP 200), every failure becomes a ZaloApiError with a kind the queues can act on, and a
 * rejected access token is refreshed once and the call retried once.
 */

/** What the client needs from the token manager (a fake in the sandbox or tests is fine). */
export type TokenSource = Pick<TokenManager, 'getAccessToken' | 'refresh'>;

export interface ZaloClientOptions {
  config: ZaloConfig;
  tokens: TokenSource;
  timeoutMs?: number;
  /** The ZNS (business API) endpoint; ZALO_ZNS_URL. */
  znsUrl?: string;
}

/** One ZNS template message to a phone number (Vietnamese numbers: 0xxxxxxxxx or 84xxxxxxxxx). */
export interface ZnsMessage {
  phone: string;
  templateId: string;
  templateData: Record<string, string>;
  /** Our reference, echoed in Zalo's delivery callbacks. */
  trackingId: string;
}

export interface ZnsResult {
  msgId: string;
  sentTime?: string;
}

export const DEFAULT_ZNS_URL = 'https://business.openapi.zalo.me/message/template';

export interface SendResult {
  messageId: string;
  userId: string;
}

export interface ZaloProfile {
  userId: string;
  displayName?: string;
  avatar?: string;
  isFollower?: boolean;
  /** What the user chose to share with the OA (only after a request_user_info card). */
  sharedInfo?: { name?: string; phone?: string; address?: string; city?: string; district?: string };
  /** Zalo's `data` as received, for fields not mapped above. */
  data: Record<string, unknown>;
}

/** Zalo's `data` for /quota/message; its exact shape is unconfirmed, so it is passed through. */
export type ZaloQuota = Record<string, unknown>;

export const IMAGE_MAX_BYTES = 1024 * 1024;
const IMAGE_TYPES = new Set(['image/jpeg', 'image/png']);
const DEFAULT_TIMEOUT_MS = 10_000;

export class ZaloClient {
  private readonly http: AxiosInstance;
  private readonly tokens: TokenSource;
  private readonly timeoutMs: number;
  private readonly znsUrl: string;

  constructor(opts: ZaloClientOptions) {
    this.tokens = opts.tokens;
    this.znsUrl = opts.znsUrl ?? DEFAULT_ZNS_URL;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.http = axios.create({
      baseURL: opts.config.openApiUrl,
      timeout: this.timeoutMs,
      headers: { Accept: 'application/json' },
      // Status codes are classified below together with body.error, never thrown by axios.
      validateStatus: () => true,
      transformResponse: [parseZaloJson],
    });
  }

  /** Sends a customer-service message (allowed within 7 days of the user's last interaction). */
  async sendMessage(userId: string, message: CsMessage): Promise<SendResult> {
    const valid = csMessageSchema.safeParse(message);
    if (!valid.success)
      throw rejectedZaloError(
        `Refusing to send an invalid message: ${valid.error.issues.map((i) => i.message).join('; ')}`,
      );
    const data = await this.call('message/cs', () => ({
      method: 'POST',
      url: '/v3.0/oa/message/cs',
      data: { recipient: { user_id: userId }, message },
    }));
    const messageId = idString(data.message_id);
    // The message did go out; failing here would only make the queue send it twice.
    if (!messageId) log.warn('Zalo accepted a message without returning message_id', { userId });
    return { messageId: messageId ?? '', userId: idString(data.user_id) ?? userId };
  }

  async getProfile(userId: string): Promise<ZaloProfile> {
    const data = await this.call('user/detail', () => ({
      method: 'GET',
      url: '/v3.0/oa/user/detail',
      params: { data: JSON.stringify({ user_id: userId }) },
    }));
    const profile: ZaloProfile = { userId: idString(data.user_id) ?? userId, data };
    if (typeof data.display_name === 'string') profile.displayName = data.display_name;
    if (typeof data.avatar === 'string') profile.avatar = data.avatar;
    if (typeof data.user_is_follower === 'boolean') profile.isFollower = data.user_is_follower;
    if (isRecord(data.shared_info)) {
      const s = data.shared_info;
      const pick = (k: string) => (typeof s[k] === 'string' && s[k] ? (s[k] as string) : undefined);
      profile.sharedInfo = {};
      for (const k of ['name', 'phone', 'address', 'city', 'district'] as const) {
        const v = pick(k);
        if (v !== undefined) profile.sharedInfo[k] = v;
      }
    }
    return profile;
  }

  /** The user's CS-message quota and last interaction: tells whether the 7-day window is open. */
  async getQuota(userId: string): Promise<ZaloQuota> {
    return this.call('quota/message', () => ({
      method: 'POST',
      url: '/v3.0/oa/quota/message',
      data: { user_id: userId },
    }));
  }

  /**
   * Sends a ZNS template message to a phone (outside the 7-day window; billed per message). Answers
   * are {error, message, data: {msg_id, sent_time, quota}}; error codes become typed errors
   * (classifyZnsError): 'recipient' means this citizen needs another channel.
   */
  async sendZns(msg: ZnsMessage): Promise<ZnsResult> {
    const phone = znsPhone(msg.phone);
    if (!phone) throw new ZaloApiError('ZNS_RECIPIENT_UNREACHABLE', 'not a Vietnamese phone number', -108, 'recipient');
    const data = await this.call(
      'zns/template',
      () => ({
        method: 'POST',
        url: this.znsUrl,
        headers: { 'Content-Type': 'application/json' },
        data: { phone, template_id: msg.templateId, template_data: msg.templateData, tracking_id: msg.trackingId },
      }),
      classifyZnsError,
    );
    const msgId = idString(data.msg_id);
    if (!msgId) log.warn('ZNS accepted a message without returning msg_id', { templateId: msg.templateId });
    return { msgId: msgId ?? '', sentTime: idString(data.sent_time) };
  }

  /** Uploads a JPEG/PNG (≤ 1 MB) and returns its attachment_id (valid about 7 days). */
  async uploadImage(buffer: Buffer, mime: string, filename: string): Promise<string> {
    if (!IMAGE_TYPES.has(mime)) throw rejectedZaloError(`Zalo accepts JPEG or PNG images only, got ${mime}`);
    if (buffer.length > IMAGE_MAX_BYTES)
      throw rejectedZaloError(`Image is ${buffer.length} bytes; Zalo accepts at most ${IMAGE_MAX_BYTES}`);
    const bytes = new Uint8Array(buffer);
    const data = await this.call('upload/image', () => {
      // A fresh form per attempt: a retried request must not reuse a consumed body stream.
      const form = new FormData();
      form.append('file', new Blob([bytes], { type: mime }), filename);
      return { method: 'POST', url: '/v2.0/oa/upload/image', data: form };
    });
    const attachmentId = idString(data.attachment_id);
    if (!attachmentId) throw transientZaloError('upload answer carries no attachment_id');
    return attachmentId;
  }

  private async call(
    what: string,
    build: () => AxiosRequestConfig,
    classify = classifyZaloError,
  ): Promise<Record<string, unknown>> {
    const token = await this.tokens.getAccessToken();
    try {
      return await this.once(what, build(), token, classify);
    } catch (e) {
      if (!(e instanceof ZaloApiError) || e.code !== 'ZALO_TOKEN_INVALID') throw e;
      log.warn('Zalo refused the access token; refreshing once', { what, zaloCode: e.zaloCode });
      // Passing the refused token lets the manager notice another process already refreshed.
      const fresh = await this.tokens.refresh(token);
      return this.once(what, build(), fresh, classify);
    }
  }

  private async once(
    what: string,
    req: AxiosRequestConfig,
    token: string,
    classify: (code: number, message: string) => ZaloApiError,
  ): Promise<Record<string, unknown>> {
    let status: number;
    let body: unknown;
    try {
      const res = await this.http.request({ ...req, headers: { ...(req.headers ?? {}), access_token: token } });
      status = res.status;
      body = res.data;
    } catch (e) {
      // Only the code and message: the axios error carries the request config, token header included.
      throw transientZaloError(describeTransportError(e, this.timeoutMs), { what });
    }
    if (isRecord(body) && body.error !== undefined && body.error !== null) {
      const code = Number(body.error);
      if (Number.isFinite(code) && code !== 0) {
        const message = typeof body.message === 'string' ? body.message : '';
        const err = classify(code, message);
        if (err.kind !== 'token') log.warn('Zalo refused a request', { what, zaloCode: code, zaloMessage: message });
        throw err;
      }
    }
    const httpError = classifyHttpStatus(status);
    if (httpError) throw httpError;
    if (!isRecord(body)) throw transientZaloError(`unreadable answer (HTTP ${status})`, { what });
    return isRecord(body.data) ? body.data : {};
  }
}

/**
 * JSON.parse that never turns a large integer into a lossy number: Zalo sends ids as strings, but
 * should one arrive unquoted, its source text is kept where the runtime exposes it (Node ≥ 21).
 */
export function parseZaloJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  if (!data.trim()) return null;
  try {
    return JSON.parse(data, (_key: string, value: unknown, ctx?: { source?: string }) =>
      typeof value === 'number' && !Number.isSafeInteger(value) && ctx?.source && /^-?\d+$/.test(ctx.source)
        ? ctx.source
        : value,
    );
  } catch {
    return data;
  }
}

function describeTransportError(e: unknown, timeoutMs: number): string {
  if (axios.isAxiosError(e)) {
    if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT') return `no answer within ${timeoutMs} ms`;
    return [e.code, e.message].filter(Boolean).join(': ');
  }
  return errorMessage(e);
}

/** ZNS wants 84xxxxxxxxx; citizens give 0xxxxxxxxx, +84 …, with spaces or dots. */
export function znsPhone(raw: string): string | undefined {
  const d = raw.replace(/[\s.()-]/g, '').replace(/^\+/, '');
  const national = d.startsWith('84') ? d.slice(2) : d.startsWith('0') ? d.slice(1) : undefined;
  return national && /^[35789]\d{8}$/.test(national) ? `84${national}` : undefined;
}

function idString(v: unknown): string | undefined {
  if (typeof v === 'string' && v) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
