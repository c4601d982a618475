/**
 * Typed errors with stable codes. Codes are part of the contract (logs, API answers, dead letters);
 * messages are for people and may change.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'DB_EMBEDDED_IN_USE'
  | 'DB_SOCKET'
  | 'REDIS_UNAVAILABLE'
  | 'REDIS_NOT_INSTALLED'
  | 'WEBHOOK_BAD_JSON'
  | 'WEBHOOK_BAD_SIGNATURE'
  | 'WEBHOOK_NOT_AN_EVENT'
  | 'WEBHOOK_TOO_LARGE'
  | 'JOB_PAYLOAD_INVALID'
  | 'ZALO_TOKEN_INVALID'
  | 'ZALO_TOKEN_REFRESH_FAILED'
  | 'ZALO_WINDOW_CLOSED'
  | 'ZALO_RATE_LIMITED'
  | 'ZALO_REJECTED'
  | 'ZALO_UNREACHABLE'
  | 'ZNS_RECIPIENT_UNREACHABLE'
  | 'ZNS_TEMPLATE_INVALID'
  | 'ZNS_QUOTA_EXCEEDED'
  | 'NOT_FOUND';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function errorCode(e: unknown): string {
  if (e instanceof AppError) return e.code;
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code;
  return 'INTERNAL';
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
