import { AppError, type ErrorCode } from '../errors';

/**
 * How a failed Zalo call should be handled, independent of the wording Zalo used:
 * - token: the access token is invalid/expired (the client refreshes once and retries once)
 * - window: the 7-day customer-service window is closed; another channel is needed, retrying is useless
 * - rate: Zalo asks us to back off; retry later
 * - permanent: Zalo refused this request; retrying the same request will fail again (dead-letter it)
 * - transient: we could not get an answer (network, timeout, 5xx); retry with backoff
 * - recipient: this person cannot get this message this way (ZNS: no Zalo account, opted out, bad
 *   phone); another channel is needed, retrying is useless
 */
export type ZaloErrorKind = 'token' | 'window' | 'rate' | 'permanent' | 'transient' | 'recipient';

export class ZaloApiError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    /** Zalo's own error code; 0 when the failure never reached Zalo's application layer. */
    readonly zaloCode: number,
    readonly kind: ZaloErrorKind,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
    this.name = 'ZaloApiError';
  }

  /** Whether the same request may succeed later without anyone changing anything. */
  get retryable(): boolean {
    return this.kind === 'rate' || this.kind === 'transient';
  }
}

export const TOKEN_ERROR_CODES: readonly number[] = [-216, -220];
export const WINDOW_ERROR_CODES: readonly number[] = [-230, -232];
export const RATE_LIMIT_ERROR_CODE = -32;

/** Maps a Zalo `error` code (from a body with error != 0) to a typed error. Pure. */
export function classifyZaloError(code: number, message: string): ZaloApiError {
  const text = `Zalo error ${code}: ${message || 'no message'}`;
  const details = { zaloCode: code, zaloMessage: message };
  if (TOKEN_ERROR_CODES.includes(code)) return new ZaloApiError('ZALO_TOKEN_INVALID', text, code, 'token', details);
  if (WINDOW_ERROR_CODES.includes(code)) return new ZaloApiError('ZALO_WINDOW_CLOSED', text, code, 'window', details);
  if (code === RATE_LIMIT_ERROR_CODE) return new ZaloApiError('ZALO_RATE_LIMITED', text, code, 'rate', details);
  // Unknown codes are treated as permanent on purpose: blind retries of a refused request only burn quota.
  return new ZaloApiError('ZALO_REJECTED', text, code, 'permanent', details);
}

/** A failure to get any usable answer from Zalo (network error, timeout, HTTP 5xx, garbage body). */
export function transientZaloError(reason: string, details?: Record<string, unknown>): ZaloApiError {
  return new ZaloApiError('ZALO_UNREACHABLE', `Zalo unreachable: ${reason}`, 0, 'transient', details);
}

/** A request we refuse to send, or an HTTP-level refusal without a Zalo error code. */
export function rejectedZaloError(reason: string, details?: Record<string, unknown>): ZaloApiError {
  return new ZaloApiError('ZALO_REJECTED', reason, 0, 'permanent', details);
}

/**
 * Classifies an HTTP answer that carried no Zalo error code. Returns null when the status is a success.
 * 429 is treated like −32 so a proxy or gateway rate limit backs off the same way.
 */
export function classifyHttpStatus(status: number): ZaloApiError | null {
  if (status >= 200 && status < 300) return null;
  if (status === 429)
    return new ZaloApiError('ZALO_RATE_LIMITED', 'Zalo answered HTTP 429', RATE_LIMIT_ERROR_CODE, 'rate', {
      httpStatus: status,
    });
  if (status >= 500 || status === 408) return transientZaloError(`HTTP ${status}`, { httpStatus: status });
  return rejectedZaloError(`Zalo answered HTTP ${status}`, { httpStatus: status });
}

/**
 * ZNS (business API) codes, from Zalo's "Cách xử lý mã lỗi" table (zalo.cloud/zns/guidelines/handle-error-code).
 * Recipient codes send the citizen to the next channel; template/app codes are our configuration.
 */
export const ZNS_TOKEN_ERROR_CODES: readonly number[] = [-124, ...TOKEN_ERROR_CODES];
/** Bad phone, old Zalo version, user inactive or refusing ZNS, no Zalo account, cannot receive ZNS. */
export const ZNS_RECIPIENT_ERROR_CODES: readonly number[] = [-108, -110, -114, -118, -119, -139];
/** Out of quota, daily quota reached, outside the hours ZNS may be sent: the same send works later. */
export const ZNS_LATER_ERROR_CODES: readonly number[] = [-115, -133, -144, RATE_LIMIT_ERROR_CODE];
/** Template missing, not ours, or its data refused. */
export const ZNS_TEMPLATE_ERROR_CODES: readonly number[] = [-109, -111, -112, -117];

export function classifyZnsError(code: number, message: string): ZaloApiError {
  const text = `ZNS error ${code}: ${message || 'no message'}`;
  const details = { zaloCode: code, zaloMessage: message };
  if (ZNS_TOKEN_ERROR_CODES.includes(code)) return new ZaloApiError('ZALO_TOKEN_INVALID', text, code, 'token', details);
  if (ZNS_RECIPIENT_ERROR_CODES.includes(code))
    return new ZaloApiError('ZNS_RECIPIENT_UNREACHABLE', text, code, 'recipient', details);
  if (ZNS_LATER_ERROR_CODES.includes(code)) return new ZaloApiError('ZNS_QUOTA_EXCEEDED', text, code, 'rate', details);
  if (ZNS_TEMPLATE_ERROR_CODES.includes(code))
    return new ZaloApiError('ZNS_TEMPLATE_INVALID', text, code, 'permanent', details);
  // −100 is Zalo's "unknown error, try again later".
  if (code === -100) return new ZaloApiError('ZALO_UNREACHABLE', text, code, 'transient', details);
  return new ZaloApiError('ZALO_REJECTED', text, code, 'permanent', details);
}
