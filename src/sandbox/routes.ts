import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { SentLog, SentMessage } from './fake-zalo-api';
import type { MediaStore } from './media-store';
import { addMediaRoutes } from './media-routes';
import { badRequest, createSignedEvents, parseOr400, userId } from './signed-events';

/**
 * The sandbox page (/sandbox): a person chats as a citizen. What they type is turned into the event
 * Zalo would send, signed like Zalo signs it and POSTed to the app's real webhook; the bot's replies
 * are read back from the SentLog of the fake Zalo API (JSON history + Server-Sent Events).
 */
export interface SandboxOptions {
  sentLog: SentLog;
  appId: string;
  oaId: string;
  secret: string;
  /** Where the events go: the app's own POST /webhooks/zalo (known once the server listens). */
  webhookUrl: () => string;
  /** Timeout of one webhook POST (Zalo gives 2 s; the sandbox is more patient). */
  webhookTimeoutMs?: number;
  /** Files attached on the page; served by the Zalo stand-in at mediaBaseUrl()/<id>/<name>. */
  media?: MediaStore;
  mediaBaseUrl?: () => string;
}

export const SANDBOX_CSP =
  "default-src 'self'; img-src 'self' https:; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const PUBLIC_DIR = [path.join(__dirname, 'public'), path.resolve(process.cwd(), 'src/sandbox/public')].find((d) =>
  fs.existsSync(path.join(d, 'index.html')),
);

const sendSchema = z.object({
  userId,
  text: z
    .string({ error: 'text phải là chuỗi (text must be a string)' })
    .transform((s) => s.normalize('NFC'))
    .pipe(
      z
        .string()
        .refine((s) => s.trim().length > 0, 'Nội dung không được để trống (text must not be empty)')
        .refine((s) => s.length <= 2000, 'Nội dung tối đa 2.000 ký tự (text must be at most 2000 characters)'),
    ),
});
const followSchema = z.object({ userId });
const submitInfoSchema = z.object({
  userId,
  name: z.string().trim().max(100, 'Họ tên tối đa 100 ký tự (name must be at most 100 characters)').optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?\d{8,15}$/, 'Số điện thoại phải gồm 8–15 chữ số (phone must be 8-15 digits)')
    .optional()
    .or(z.literal('')),
});
const listQuery = z.object({
  userId,
  after: z.coerce.number().int().min(0).optional(),
});

const toJson = (m: SentMessage) => ({
  seq: m.seq,
  at: m.at.toISOString(),
  userId: m.userId,
  messageId: m.messageId,
  message: m.message,
});

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

export function createSandboxRouter(opts: SandboxOptions): Router {
  const { sentLog, oaId } = opts;
  const timeoutMs = opts.webhookTimeoutMs ?? 10_000;
  const { deliver, envelope, fromUser } = createSignedEvents({ ...opts, timeoutMs });
  const router = express.Router();
  const template = PUBLIC_DIR ? fs.readFileSync(path.join(PUBLIC_DIR, 'index.html'), 'utf8') : undefined;

  const securityHeaders = (_req: Request, res: Response, next: NextFunction) => {
    res.set({
      'Content-Security-Policy': SANDBOX_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    });
    next();
  };

  router.get('/', securityHeaders, (req, res) => {
    if (!template) return void res.status(500).type('text/plain').send('Sandbox page files are missing');
    res.set('Cache-Control', 'no-store');
    res.type('html').send(template.replaceAll('{{BASE}}', escapeHtml(req.baseUrl)));
  });
  for (const file of ['app.js', 'render.js', 'tools.js', 'app.css', 'tools.css', 'favicon.svg'] as const) {
    router.get(`/${file}`, securityHeaders, (_req, res) => {
      if (!PUBLIC_DIR) return void res.status(404).end();
      res.sendFile(path.join(PUBLIC_DIR, file), { headers: { 'Cache-Control': 'no-cache' } });
    });
  }

  const api = express.Router();
  api.use(securityHeaders, (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  api.use(express.json({ limit: '64kb' }));

  api.post('/send', async (req, res) => {
    const body = parseOr400(sendSchema, req.body, res);
    if (!body) return;
    sentLog.noteInteraction(body.userId);
    const { event, msgId } = fromUser(body.userId, 'user_send_text', { text: body.text });
    await deliver(res, event, { msgId });
  });

  api.post('/follow', async (req, res) => {
    const body = parseOr400(followSchema, req.body, res);
    if (!body) return;
    sentLog.noteInteraction(body.userId);
    const { user_id_by_app, ...head } = envelope(body.userId, 'follow');
    await deliver(res, { ...head, oa_id: oaId, follower: { id: body.userId }, source: 'oa_profile', user_id_by_app });
  });

  api.post('/submit-info', async (req, res) => {
    const body = parseOr400(submitInfoSchema, req.body, res);
    if (!body) return;
    sentLog.noteInteraction(body.userId);
    const info: Record<string, string> = {};
    if (body.name) info.name = body.name;
    if (body.phone) info.phone = body.phone;
    await deliver(res, {
      ...envelope(body.userId, 'user_submit_info'),
      sender: { id: body.userId },
      recipient: { id: oaId },
      info,
    });
  });

  if (opts.media && opts.mediaBaseUrl)
    addMediaRoutes(api, { sentLog, media: opts.media, mediaBaseUrl: opts.mediaBaseUrl, deliver, fromUser });

  api.get('/messages', (req, res) => {
    const q = parseOr400(listQuery, req.query, res);
    if (!q) return;
    const messages = q.after === undefined ? sentLog.list(q.userId) : sentLog.since(q.after, q.userId);
    res.json({ messages: messages.map(toJson), lastSeq: sentLog.lastSeq });
  });

  api.get('/stream', (req, res) => {
    const q = parseOr400(listQuery, req.query, res);
    if (!q) return;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    const write = (m: SentMessage) => res.write(`id: ${m.seq}\nevent: message\ndata: ${JSON.stringify(toJson(m))}\n\n`);
    res.write('retry: 3000\n\n');
    // A reconnecting EventSource says what it saw last; replay what it missed.
    const lastId = Number(req.get('Last-Event-ID') ?? q.after);
    if (Number.isInteger(lastId) && lastId >= 0) sentLog.since(lastId, q.userId).forEach(write);
    const onMessage = (m: SentMessage) => {
      if (m.userId === q.userId) write(m);
    };
    sentLog.on('message', onMessage);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      sentLog.off('message', onMessage);
    });
  });

  api.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed')
      return void badRequest(
        res,
        'SANDBOX_BAD_JSON',
        'Nội dung gửi lên không phải JSON hợp lệ (body is not valid JSON)',
      );
    if (type === 'entity.too.large')
      return void badRequest(res, 'SANDBOX_TOO_LARGE', 'Nội dung gửi lên quá lớn (body too large)');
    next(err);
  });

  router.use('/api', api);
  return router;
}
