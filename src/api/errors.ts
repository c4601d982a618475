/** Errors the JSON API answers with: `{ error: { code, message } }` and the status that goes with the code. */
export const API_ERRORS = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  TOTP_REQUIRED: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_ATTEMPTS: 429,
  UNAVAILABLE: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
  get status(): number {
    return API_ERRORS[this.code];
  }
}

/** A ticket outside the asker's scope is answered exactly like one that does not exist. */
export const notFound = (what = 'No such ticket.') => new ApiError('NOT_FOUND', what);
