import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../src/db/client';
import { attachments, conversations, deadLetters, inboundEvents } from '../src/db/schema';
import { attachmentsOf, enqueueAttachmentDownloads, recordAttachments } from '../src/attachments/record';
import { attachmentJobId } from '../src/queues/queues';
import { openTestDb } from './support/harness';
import { ev, eventually, startTestHotline, type TestHotline } from './support/hotline';

/*
 * The Zalo CDN is a local server the downloader is told to trust (real sockets, so an aborted download
 * is aborted as it would be in production; nock's mock socket kept pushing a body after the abort and
 * tripped Node's HTTP client). Everything else (webhook, workers, Redis, database) is real.
 */
type Route = (res: http.ServerResponse) => void;
const routes = new Map<string, Route>();
const hits = new Map<string, number>();
const hitsOn = (p: string) => hits.get(p) ?? 0;
const cdnServer = http.createServer((req, res) => {
  const p = new URL(req.url ?? '/', 'http://cdn').pathname;
  hits.set(p, hitsOn(p) + 1);
  const route = routes.get(p);
  if (route) route(res);
  else res.writeHead(404).end('no such file');
});
let CDN = '';
const MAX = 64 * 1024;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const png = (size: number) => Buffer.concat([PNG_MAGIC, crypto.randomBytes(size - PNG_MAGIC.length)]);
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

let database: Database;
let h: TestHotline;
let dataDir: string;
const db = () => database.db;

beforeAll(async () => {
  await new Promise<void>((resolve) => cdnServer.listen(0, '127.0.0.1', resolve));
  CDN = `http://127.0.0.1:${(cdnServer.address() as AddressInfo).port}`;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-att-'));
  database = await openTestDb('pglite');
  h = await startTestHotline(database, {
    env: { DATA_DIR: dataDir, ATTACHMENT_MAX_BYTES: String(MAX), ATTACHMENT_RETRY_BASE_MS: '20' },
    attachmentOrigins: [CDN],
  });
});
afterEach(() => {
  routes.clear();
  hits.clear();
});
afterAll(async () => {
  await h?.stop();
  await database?.close();
  cdnServer.closeAllConnections();
  await new Promise((resolve) => cdnServer.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

let users = 0;
const newUser = () => `24684588352961${String(++users).padStart(5, '0')}`;

/** Posts a signed event, waits for the inbound worker, then records its attachments as the dialogue will. */
async function send(event: { message: { msg_id: string } }) {
  expect((await h.post(event)).status).toBe(200);
  const stored = await eventually(async () => {
    const [row] = await db().select().from(inboundEvents).where(eq(inboundEvents.zaloMsgId, event.message.msg_id));
    return row?.status === 'processed' ? row : undefined;
  }, 'the inbound event processed');
  const [conversation] = await db()
    .select()
    .from(conversations)
    .where(eq(conversations.zaloUserId, stored.zaloUserId!));
  const { rows, jobs } = await db().transaction((tx) =>
    recordAttachments(tx, {
      conversationId: conversation!.id,
      inboundEventId: stored.id,
      ticketId: null,
      attachments: attachmentsOf(stored.payload!),
    }),
  );
  await enqueueAttachmentDownloads(h.hotline.queues.attachments, jobs);
  return { stored, rows, jobs };
}

const settled = (id: number) =>
  eventually(async () => {
    const [row] = await db().select().from(attachments).where(eq(attachments.id, id));
    return row && row.status !== 'pending' ? row : undefined;
  }, `attachment ${id} settled`);

const toldCitizen = (userId: string, fragment: string) =>
  eventually(
    () => h.zalo.sentLog.list(userId).find((m) => String(m.message.text ?? '').includes(fragment)),
    `a reply containing "${fragment}"`,
  );

function fileEvent(userId: string, url: string, name: string, size?: number) {
  const e = ev.file(userId);
  e.message.attachments[0]!.payload = { ...e.message.attachments[0]!.payload, url, name, size: String(size ?? 1) };
  return e;
}

test('an image within the limits lands in storage under its SHA-256, with the sniffed type', async () => {
  const body = png(20_000);
  routes.set('/ok.jpg', (res) => res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(body));
  const { rows } = await send(ev.image(newUser(), `${CDN}/ok.jpg`));
  expect(rows).toHaveLength(1);
  const row = await settled(rows[0]!.id);
  expect(hitsOn('/ok.jpg')).toBe(1);
  expect(row).toMatchObject({ status: 'downloaded', mime: 'image/png', bytes: body.length, sha256: sha256(body) });
  expect(row.storagePath).toMatch(new RegExp(`^uploads/\\d{4}/\\d{2}/${sha256(body)}$`));
  expect(fs.readFileSync(path.join(dataDir, row.storagePath!)).equals(body)).toBe(true);
  expect(fs.readdirSync(path.join(dataDir, 'uploads', 'tmp'))).toEqual([]);
});

test('a file declared larger than the limit is refused without downloading, and the citizen is told', async () => {
  const user = newUser();
  routes.set('/big.pdf', (res) => res.end('never fetched'));
  const { rows } = await send(fileEvent(user, `${CDN}/big.pdf`, 'hồ sơ.pdf', MAX + 1));
  const row = await settled(rows[0]!.id);
  expect(row).toMatchObject({ status: 'refused', refusalReason: 'too_large', storagePath: null });
  expect(hitsOn('/big.pdf')).toBe(0);
  const reply = await toldCitizen(user, 'tối đa 0,1 MB');
  expect(reply.message.text).toContain('“hồ sơ.pdf”');
});

test('a file larger than the limit in fact (no Content-Length) is cut off and refused', async () => {
  const user = newUser();
  // Chunked, no Content-Length: only counting what arrives can stop it. Every request (a retry, or the
  // job the test's own send() may add) gets the whole endless file, as it would from Zalo.
  routes.set('/huge.png', (res) => {
    res.writeHead(200, { 'Content-Type': 'image/png' });
    let sent = 0;
    const more = () => {
      while (!res.destroyed && sent < 4 * MAX) {
        sent += 16 * 1024;
        if (!res.write(sent === 16 * 1024 ? png(16 * 1024) : crypto.randomBytes(16 * 1024)))
          return res.once('drain', more);
      }
      if (!res.destroyed) res.end();
    };
    more();
  });
  const { rows } = await send(ev.image(user, `${CDN}/huge.png`));
  const row = await settled(rows[0]!.id);
  // The request count is in the comparison so that a failure shows how many attempts reached the CDN.
  expect({ ...row, requests: hitsOn('/huge.png') }).toMatchObject({
    status: 'refused',
    refusalReason: 'too_large',
    requests: expect.any(Number),
  });
  await toldCitizen(user, 'vượt quá mức cho phép');
  const [dead] = await db()
    .select()
    .from(deadLetters)
    .where(and(eq(deadLetters.queue, 'attachments'), eq(deadLetters.errorCode, 'ATTACHMENT_TOO_LARGE')));
  expect(dead?.attempts).toBe(1);
});

test('content whose first bytes are not an accepted type is refused, whatever its name says', async () => {
  const user = newUser();
  routes.set('/photo.jpg', (res) =>
    res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end('<html><script>alert(1)</script></html>'),
  );
  const { rows } = await send(ev.image(user, `${CDN}/photo.jpg`));
  const row = await settled(rows[0]!.id);
  expect(row).toMatchObject({ status: 'refused', refusalReason: 'type_not_allowed', mime: null });
  const reply = await toldCitizen(user, 'định dạng này không được hỗ trợ');
  expect(reply.message.text).toContain('ảnh (JPEG, PNG, WEBP, GIF, HEIC), tệp (PDF, DOC, DOCX, XLS, XLSX)');
});

test.each([
  ['a host that is not Zalo', 'https://evil.example.com/a.png'],
  ['a private address', 'http://127.0.0.1:6379/a.png'],
  ['a look-alike host', 'https://zdn.vn.evil.example.com/a.png'],
])('%s is never contacted', async (_what, url) => {
  const user = newUser();
  const { rows } = await send(ev.image(user, url));
  const row = await settled(rows[0]!.id);
  expect(row).toMatchObject({ status: 'refused', refusalReason: 'host_forbidden' });
  await toldCitizen(user, 'chưa tải được ảnh Anh/Chị gửi');
});

test('a Zalo URL answering 404 is retried, then dead-lettered and the citizen asked to send again', async () => {
  const user = newUser();
  routes.set('/gone.png', (res) => res.writeHead(404).end('Not Found'));
  const { rows, stored } = await send(ev.image(user, `${CDN}/gone.png`));
  const row = await settled(rows[0]!.id);
  expect(row).toMatchObject({ status: 'failed', refusalReason: 'ATTACHMENT_HTTP_404' });
  expect(hitsOn('/gone.png')).toBe(6);
  const [dead] = await db()
    .select()
    .from(deadLetters)
    .where(eq(deadLetters.jobId, attachmentJobId(stored.id, 0)));
  expect(dead).toMatchObject({ queue: 'attachments', errorCode: 'ATTACHMENT_HTTP_404', attempts: 6 });
  await toldCitizen(user, 'đường dẫn của Zalo có thể đã hết hạn');
});

test('the same event twice gives one row, one job and one file; the same bytes in another event one file', async () => {
  const user = newUser();
  const body = png(5000);
  routes.set('/same.png', (res) => res.writeHead(200).end(body));
  const event = ev.image(user, `${CDN}/same.png`);
  const first = await send(event);
  expect((await h.post(event)).status).toBe(200);
  const again = await send(event);
  expect(again.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
  // A redelivery adds no new job: whatever it enqueues carries the first delivery's deterministic id.
  expect(again.jobs.every((j) => j.opts.jobId === attachmentJobId(first.stored.id, 0))).toBe(true);
  const a = await settled(first.rows[0]!.id);
  const other = await send(ev.image(user, `${CDN}/same.png`));
  const b = await settled(other.rows[0]!.id);
  expect(b.id).not.toBe(a.id);
  expect(b.storagePath).toBe(a.storagePath);
  expect(hitsOn('/same.png')).toBe(2); // one download per event: the repeated event added no job
  const dir = path.join(dataDir, path.dirname(a.storagePath!));
  expect(fs.readdirSync(dir).filter((f) => f === sha256(body))).toHaveLength(1);
});

test('locations, stickers, unknown kinds and attachments without a URL are not recorded', async () => {
  const { stored, rows } = await send(ev.location(newUser()));
  expect(rows).toEqual([]);
  const [conversation] = await db()
    .select()
    .from(conversations)
    .where(eq(conversations.zaloUserId, stored.zaloUserId!));
  const odd = [
    { type: 'sticker', payload: { id: 's1', url: `${CDN}/s.png` } },
    { type: 'business_card', payload: { url: `${CDN}/c` } },
    { type: 'image', payload: { thumbnail: `${CDN}/t.png` } },
    { type: 'file' },
    'not an object',
    null,
  ];
  const result = await db().transaction((tx) =>
    recordAttachments(tx, {
      conversationId: conversation!.id,
      inboundEventId: stored.id,
      ticketId: null,
      attachments: odd,
    }),
  );
  expect(result).toEqual({ rows: [], jobs: [] });
});
