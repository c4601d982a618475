import type { ClientRequest } from 'node:http';
import nock from 'nock';

/**
 * Zalo as the tests see it: nock on the real hosts, answering with the shapes in shared/zalo-oa.md
 * (§2 errors as HTTP 200 with `error != 0`, §3 OAuth v4 with single-use refresh tokens).
 */
export const ZALO_OPENAPI_URL = 'https://openapi.zalo.me';
export const ZALO_OAUTH_URL = 'https://oauth.zaloapp.com';
export const APP_SECRET = 'app-secret-for-tests';

/** A request that reached a Zalo host, as nock saw it. */
export interface ZaloRequest {
  method: string;
  host: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
  /** False when no interceptor answered it (nock refused it: a test failure, see useZaloNock). */
  matched: boolean;
}

export interface ZaloTraffic {
  /** Every request made to a Zalo host in the current test, answered or not. */
  readonly requests: ZaloRequest[];
  /** The requests to one path (without the query string). */
  calls(path: string): ZaloRequest[];
  /** nock.Scope for openapi.zalo.me whose requests are recorded in `requests`. */
  openApi(): nock.Scope;
  /** nock.Scope for oauth.zaloapp.com whose requests are recorded in `requests`. */
  oauth(): nock.Scope;
}

/** What nock hands to 'no match' listeners: the request and its options, or only the options. */
interface NoMatchTarget {
  method?: string;
  host?: string;
  hostname?: string;
  path?: string;
  getHeaders?: () => Record<string, unknown>;
}

/**
 * Registers the jest hooks of a file that fakes Zalo with nock: real network refused except loopback
 * (the test Redis and PostgreSQL), every request to Zalo recorded, interceptors and pending delayed
 * answers dropped after each test, and a test failed when Zalo got a request no interceptor answered.
 */
export function useZaloNock(): ZaloTraffic {
  const requests: ZaloRequest[] = [];
  const onNoMatch = (req: NoMatchTarget, options?: NoMatchTarget, body?: string) => {
    const target = options ?? req;
    const host = (target.hostname ?? target.host ?? '').replace(/:\d+$/, '');
    if (!host.endsWith('zalo.me') && !host.endsWith('zaloapp.com')) return;
    requests.push(toRequest(target.method ?? '', host, target.path ?? '/', headersOf(req), body ?? '', false));
  };
  const recorded = (url: string): nock.Scope =>
    nock(url).on('request', (req: ClientRequest, _interceptor: unknown, body: string) => {
      const headers = headersOf(req);
      const host = (headers.host ?? new URL(url).host).replace(/:\d+$/, '');
      requests.push(toRequest(req.method, host, req.path, headers, body, true));
    });

  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    localNetOnly();
    nock.emitter.on('no match', onNoMatch);
  });
  beforeEach(() => {
    requests.length = 0;
  });
  afterEach(() => {
    const unanswered = requests.filter((r) => !r.matched).map((r) => `${r.method} ${r.host}${r.path}`);
    nock.abortPendingRequests(); // delayed answers of requests the client already gave up on
    nock.cleanAll();
    expect(unanswered).toEqual([]);
  });
  afterAll(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    nock.enableNetConnect();
    nock.restore();
  });

  return {
    requests,
    calls: (path) => requests.filter((r) => r.path === path),
    openApi: () => recorded(ZALO_OPENAPI_URL),
    oauth: () => recorded(ZALO_OAUTH_URL),
  };
}

/** What a dropped connection looks like to the client. An Error, not a plain object: nock 14 would
 * hand a plain object to @mswjs/interceptors as a response and crash (nock/nock#2829). */
export function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

/** The body of a form-encoded request as nock passes it to a reply function. */
export function formOf(body: nock.Body): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : ''));
}

export interface OAuthRequest {
  headers: Record<string, string>;
  form: Record<string, string>;
}

export interface TokenAuthorityOptions {
  /** Refresh tokens Zalo accepts at the start (default none: the stored one is spent or revoked). */
  refreshTokens?: string[];
  /** Access tokens openapi.zalo.me accepts at the start. */
  accessTokens?: string[];
  /** `expires_in` as Zalo sends it: a number or, as often, a string (default '90000', 25 h). */
  expiresIn?: number | string;
}

/**
 * oauth.zaloapp.com's rule for an OA: each refresh token works once and is replaced by the pair it
 * issues; a reused, revoked or unknown one gets Zalo's error answer (HTTP 200 with a negative `error`).
 * Issuing a pair also ends the previous access token.
 */
export class ZaloTokenAuthority {
  /** The refresh tokens Zalo would accept now, each with the app it was issued to. */
  readonly refreshTokens = new Map<string, string>();
  /** The access tokens openapi.zalo.me accepts now. */
  readonly accessTokens: Set<string>;
  /** Every POST /v4/oa/access_token it answered. */
  readonly requests: OAuthRequest[] = [];
  private issued = 0;

  constructor(
    readonly appId: string,
    private readonly opts: TokenAuthorityOptions = {},
  ) {
    for (const t of opts.refreshTokens ?? []) this.refreshTokens.set(t, appId);
    this.accessTokens = new Set(opts.accessTokens ?? []);
  }

  get calls(): number {
    return this.requests.length;
  }

  /** Answers every token request on `scope` (oauth.zaloapp.com), each `delayMs` late. */
  intercept(scope: nock.Scope, delayMs = 0): nock.Scope {
    const answer = (r: OAuthRequest) => this.answer(r);
    return scope
      .post('/v4/oa/access_token')
      .delay(delayMs)
      .reply(function (_uri, body) {
        return answer({ headers: this.req.headers, form: formOf(body) });
      })
      .persist();
  }

  private answer(r: OAuthRequest): [number, Record<string, unknown>] {
    this.requests.push(r);
    const { headers, form } = r;
    if (headers['secret_key'] !== APP_SECRET || form.app_id !== this.appId)
      return [200, { error: -14002, error_name: 'Invalid app', error_description: 'bad secret_key or app_id' }];
    const refreshToken = form.refresh_token ?? '';
    if (form.grant_type !== 'refresh_token' || this.refreshTokens.get(refreshToken) !== form.app_id)
      return [
        200,
        { error: -14014, error_name: 'Invalid refresh token', error_description: 'Refresh token is invalid' },
      ];
    this.refreshTokens.delete(refreshToken); // single use
    this.issued++;
    this.refreshTokens.set(`RT${this.issued}`, form.app_id);
    this.accessTokens.clear();
    this.accessTokens.add(`AT${this.issued}`);
    return [
      200,
      {
        access_token: `AT${this.issued}`,
        refresh_token: `RT${this.issued}`,
        expires_in: this.opts.expiresIn ?? '90000',
      },
    ];
  }
}

function toRequest(
  method: string,
  host: string,
  path: string,
  headers: Record<string, string>,
  body: string,
  matched: boolean,
): ZaloRequest {
  const url = new URL(path, 'https://zalo.invalid');
  return { method, host, path: url.pathname, query: url.searchParams, headers, body: bodyBytes(body), matched };
}

function headersOf(req: NoMatchTarget): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.getHeaders?.() ?? {})) if (v !== undefined) out[k.toLowerCase()] = String(v);
  return out;
}

/**
 * nock passes a request body as UTF-8 text, or as hex when the bytes are not valid UTF-8 (a multipart
 * upload of a PNG, say). Undoes that. A text body made only of hex digits is read as text unless its
 * hex reading is itself not UTF-8, which is exactly nock's rule.
 */
function bodyBytes(body: string): Buffer {
  if (body.length > 0 && /^(?:[0-9a-f]{2})+$/.test(body)) {
    const bytes = Buffer.from(body, 'hex');
    if (!Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)) return bytes;
  }
  return Buffer.from(body, 'utf8');
}

/** Tests reach our own servers on loopback and nothing else: the outside world is nock's. */
export function localNetOnly(): void {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));
}
