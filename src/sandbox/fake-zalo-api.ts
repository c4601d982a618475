import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { stickerSvg, type MediaStore } from './media-store';

/**
 * A faithful stand-in of the Zalo OA API (../../shared/zalo-oa.md §2–3), used in sandbox mode, by the
 * benchmarks and by the e2e tests. Like Zalo it answers HTTP 200 always, with `{error: 0, message:
 * "Success", data}` or `{error: <negative>, message}`; every CS message sent is recorded in a SentLog.
 */

/** The `message` object of a CS send: text, or an attachment (template with buttons, media, card…). */
export type CsMessage = Record<string, unknown> & {
  text?: string;
  attachment?: { type: string; payload?: Record<string, unknown> };
};

export interface SentMessage {
  seq: number;
  at: Date;
  userId: string;
  message: CsMessage;
  messageId: string;
}

export interface InjectedFailure {
  code: number;
  message: string;
}

/** What Zalo says for the codes the app handles (zalo-oa.md §2). */
export const ZALO_ERROR_MESSAGES: Readonly<Record<number, string>> = {
  [-32]: 'The request rate limit has been exceeded',
  [-201]: 'Parameters are invalid',
  [-213]: 'User has not followed the OA',
  [-216]: 'Access token is invalid',
  [-220]: 'Access token has expired',
  [-230]: 'User has not interacted with the OA in the last 7 days',
  [-232]: 'User has not interacted with the OA recently',
  [-233]: 'The type of the message is not supported',
  [-240]: 'This API version is no longer supported',
  [-248]: 'The message violates Zalo policy',
};

export const SENT_LOG_CAPACITY = 5_000;

/** Every CS message the app sent, in order, the last `capacity` kept. Emits 'message' (SentMessage). */
export class SentLog extends EventEmitter {
  private readonly entries: SentMessage[] = [];
  private nextSeq = 1;
  private readonly failures: Array<InjectedFailure & { left: number }> = [];
  private readonly interactions = new Map<string, number>();

  constructor(readonly capacity = SENT_LOG_CAPACITY) {
    super();
    this.setMaxListeners(0); // one listener per open sandbox stream
  }

  /** Records a message as delivered and returns the entry (the fake router calls this). */
  record(userId: string, message: CsMessage, messageId = randomHex(10)): SentMessage {
    const entry: SentMessage = { seq: this.nextSeq++, at: new Date(), userId, message, messageId };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    this.emit('message', entry);
    return entry;
  }

  /** All kept messages, or those sent to one user. */
  list(userId?: string): SentMessage[] {
    return userId === undefined ? [...this.entries] : this.entries.filter((e) => e.userId === userId);
  }

  /** Messages with a sequence number above `seq` (optionally for one user only). */
  since(seq: number, userId?: string): SentMessage[] {
    const first = this.entries[0]?.seq ?? this.nextSeq;
    const tail = this.entries.slice(Math.max(0, Math.floor(seq) + 1 - first));
    return userId === undefined ? tail : tail.filter((e) => e.userId === userId);
  }

  /** The sequence number of the last message recorded (0 when none yet). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** The next `times` CS sends answer `{error: code, message}` instead of being delivered. */
  failNext(code: number, times = 1, message = ZALO_ERROR_MESSAGES[code] ?? `Injected error ${code}`): void {
    if (times > 0) this.failures.push({ code, message, left: times });
  }

  /** Consumes one injected failure, if any is armed. */
  takeFailure(): InjectedFailure | undefined {
    const head = this.failures[0];
    if (!head) return undefined;
    if (--head.left <= 0) this.failures.shift();
    return { code: head.code, message: head.message };
  }

  /** Notes that a citizen wrote to the OA (the sandbox page calls this; the quota endpoint reports it). */
  noteInteraction(userId: string, at = Date.now()): void {
    this.interactions.set(userId, at);
  }

  lastInteraction(userId: string): number | undefined {
    return this.interactions.get(userId);
  }

  /** Forgets messages, injected failures and interactions (between tests). */
  clear(): void {
    this.entries.length = 0;
    this.failures.length = 0;
    this.interactions.clear();
  }
}

export interface FakeZaloOptions {
  /** Failures armed from the start, as if `sentLog.failNext(code, times, message)` had been called. */
  failNext?: { code: number; times?: number; message?: string };
  /** Upload limits in bytes (Zalo: images 1 MB, files 5 MB). */
  maxImageBytes?: number;
  maxFileBytes?: number;
  /** Present in sandbox mode: files attached on /sandbox, served at /media/<id>/<name> like Zalo's CDN. */
  media?: MediaStore;
}

function randomHex(bytes: number): string {
  return crypto.randomBytes(bytes).toString('hex');
}

const ok = (res: Response, data: Record<string, unknown>) => res.json({ error: 0, message: 'Success', data });
const fail = (res: Response, code: number, message = ZALO_ERROR_MESSAGES[code] ?? 'Unknown error') =>
  res.json({ error: code, message });

const userIdString = z.string().regex(/^\d{1,30}$/);
const button = z.looseObject({
  type: z.enum(['oa.query.show', 'oa.query.hide', 'oa.open.url', 'oa.open.phone', 'oa.open.sms']),
  title: z.string().min(1).max(100),
  payload: z.union([z.string().min(1), z.looseObject({})]),
});
const csSendSchema = z.looseObject({
  recipient: z.looseObject({ user_id: userIdString }),
  message: z.looseObject({
    text: z.string().min(1).optional(),
    attachment: z
      .looseObject({
        type: z.string(),
        payload: z.looseObject({ buttons: z.array(button).max(5).optional() }).optional(),
      })
      .optional(),
  }),
});
const ATTACHMENT_TYPES = new Set(['template', 'file']);
/** The form field each OAuth grant needs. */
const GRANT_FIELDS: Record<string, string> = { refresh_token: 'refresh_token', authorization_code: 'code' };

function requireToken(req: Request, res: Response): boolean {
  const token = req.get('access_token');
  if (token && token.trim()) return true;
  fail(res, -216);
  return false;
}

/** Reads and discards a request body, counting bytes (uploads are not parsed, only measured). */
function drain(req: Request): Promise<number> {
  return new Promise((resolve, reject) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => (size += chunk.length));
    req.on('end', () => resolve(size));
    req.on('error', reject);
  });
}

/** An express Router answering like openapi.zalo.me and oauth.zaloapp.com; mount it anywhere. */
export function createFakeZaloRouter(sentLog: SentLog, opts: FakeZaloOptions = {}): Router {
  if (opts.failNext) sentLog.failNext(opts.failNext.code, opts.failNext.times ?? 1, opts.failNext.message);
  const maxImage = opts.maxImageBytes ?? 1024 * 1024;
  const maxFile = opts.maxFileBytes ?? 5 * 1024 * 1024;
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }), express.urlencoded({ extended: false, limit: '64kb' }));

  // OAuth v4: form-encoded, `secret_key` header; the answer is flat (no error/data envelope).
  router.post('/v4/oa/access_token', (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const field = GRANT_FIELDS[String(form.grant_type)];
    const problem = !req.get('secret_key')
      ? 'secret_key header is missing'
      : !form.app_id
        ? 'app_id is missing'
        : !field
          ? 'grant_type is invalid'
          : !form[field]
            ? `${field} is missing`
            : undefined;
    if (problem) {
      res.json({ error: -14002, error_name: 'Invalid parameter', error_description: problem, message: problem });
      return;
    }
    res.json({
      access_token: `fake-at-${randomHex(16)}`,
      refresh_token: `fake-rt-${randomHex(16)}`,
      expires_in: '90000',
    });
  });

  router.post('/v3.0/oa/message/cs', (req, res) => {
    if (!requireToken(req, res)) return;
    const parsed = csSendSchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return void fail(
        res,
        -201,
        `Parameters are invalid: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'body'}`,
      );
    }
    const { recipient, message } = parsed.data;
    if (message.text === undefined && message.attachment === undefined)
      return void fail(res, -201, 'Parameters are invalid: message needs text or attachment');
    if (message.text !== undefined && message.text.normalize('NFC').length > 2000)
      return void fail(res, -201, 'Parameters are invalid: text is longer than 2000 characters');
    if (message.attachment && !ATTACHMENT_TYPES.has(message.attachment.type)) return void fail(res, -233);
    const injected = sentLog.takeFailure();
    if (injected) return void fail(res, injected.code, injected.message);
    const entry = sentLog.record(recipient.user_id, message as CsMessage);
    ok(res, { message_id: entry.messageId, user_id: recipient.user_id, sent_time: String(entry.at.getTime()) });
  });

  router.post('/v3.0/oa/quota/message', (req, res) => {
    if (!requireToken(req, res)) return;
    const userId = (req.body as { user_id?: unknown } | undefined)?.user_id;
    if (typeof userId !== 'string' || !userIdString.safeParse(userId).success)
      return void fail(res, -201, 'Parameters are invalid: user_id');
    const last = sentLog.lastInteraction(userId);
    ok(res, {
      user_id: userId,
      quota_type: 'reply',
      remain: '8',
      total: '8',
      last_interaction_time: last === undefined ? null : String(last),
      expired_date: last === undefined ? null : String(last + 7 * 24 * 3600 * 1000),
    });
  });

  router.get('/v3.0/oa/user/detail', (req, res) => {
    if (!requireToken(req, res)) return;
    let userId: unknown;
    try {
      userId = (JSON.parse(String(req.query.data ?? '')) as { user_id?: unknown }).user_id;
    } catch {
      userId = undefined;
    }
    if (typeof userId !== 'string' || !userIdString.safeParse(userId).success)
      return void fail(res, -201, 'Parameters are invalid: data.user_id');
    ok(res, {
      user_id: userId,
      user_id_by_app: userId,
      display_name: 'Người dùng thử',
      user_alias: '',
      is_sensitive: false,
      user_is_follower: true,
      user_last_interaction_date: new Date(sentLog.lastInteraction(userId) ?? Date.now()).toLocaleDateString('en-GB'),
      avatar: '',
      avatars: {},
      tags_and_notes_info: { tag_names: [], notes: [] },
    });
  });

  const upload = (limit: number, answer: () => Record<string, unknown>) => async (req: Request, res: Response) => {
    if (!requireToken(req, res)) return;
    if (!req.is('multipart/form-data'))
      return void fail(res, -201, 'Parameters are invalid: expected multipart/form-data');
    const size = await drain(req);
    if (size === 0) return void fail(res, -201, 'Parameters are invalid: file is missing');
    if (size > limit) return void fail(res, -201, `Parameters are invalid: file is larger than ${limit} bytes`);
    ok(res, answer());
  };
  router.post(
    '/v2.0/oa/upload/image',
    upload(maxImage, () => ({ attachment_id: randomHex(16) })),
  );
  router.post(
    '/v2.0/oa/upload/file',
    upload(maxFile, () => ({ token: randomHex(24) })),
  );

  if (opts.media) serveMedia(router, opts.media);

  router.use((_req, res) => void fail(res, -201, 'Parameters are invalid: unknown endpoint'));
  // Body-parser errors (bad JSON, too large) answer like Zalo: HTTP 200 with an error code.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const type = (err as { type?: string }).type;
    fail(
      res,
      -201,
      type === 'entity.too.large' ? 'Parameters are invalid: body too large' : 'Parameters are invalid: body',
    );
  });
  return router;
}

/** Images a browser may display inline; anything else is served as opaque bytes. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * The CDN side: plain GETs, no token (Zalo's media URLs are capability URLs). The page shares this
 * origin, so what a person uploaded is never served as HTML or script.
 */
function serveMedia(router: Router, media: MediaStore): void {
  const lockedDown = (res: Response) =>
    res.set({
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'Cache-Control': 'private, max-age=3600',
    });
  router.get('/media/sticker/:id', (req, res) => {
    lockedDown(res).type('image/svg+xml').send(stickerSvg(req.params.id));
  });
  router.get('/media/:id{/:name}', (req, res) => {
    const item = media.get(req.params.id);
    if (!item) return void res.status(404).type('text/plain').send('Not found');
    const type = INLINE_TYPES.has(item.contentType) ? item.contentType : 'application/octet-stream';
    lockedDown(res).type(type).send(item.data);
  });
}

export interface FakeZaloServer {
  url: string;
  sentLog: SentLog;
  close(): Promise<void>;
}

/** The fake API on its own express app on 127.0.0.1 (port 0 picks a free one). */
export function startFakeZaloServer(port = 0, opts: FakeZaloOptions = {}): Promise<FakeZaloServer> {
  const sentLog = new SentLog();
  const app = express();
  app.disable('x-powered-by');
  app.use(createFakeZaloRouter(sentLog, opts));
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1');
    server.once('error', reject);
    server.once('listening', () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${actual}`,
        sentLog,
        close: () =>
          new Promise<void>((done, failClose) => {
            server.close((e) => (e ? failClose(e) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
