import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import express from 'express';
import { attachments, conversations, inboundEvents } from '../src/db/schema';
import type { Hotline } from '../src/hotline';
import { attachmentsOf, enqueueAttachmentDownloads, recordAttachments } from '../src/attachments/record';
import { serveAttachment } from '../src/attachments/read';
import { eventually } from './support/hotline';
import { useSandboxHotline } from './support/sandbox-hotline';

/* Sandbox mode end to end: the page's upload → signed webhook event → download from the stand-in. */
const USER = '1234567890123456789';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(3000)]);

const sandbox = useSandboxHotline();
const db = () => sandbox().database.db;
let url: string;
let hotline: Hotline;
let dataDir: string;
beforeAll(() => ({ url, hotline, dataDir } = sandbox()));

const postJson = (p: string, body: unknown) =>
  fetch(`${url}/sandbox/api${p}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

const storedEvent = (msgId: string) =>
  eventually(async () => {
    const [row] = await db().select().from(inboundEvents).where(eq(inboundEvents.zaloMsgId, msgId));
    return row && row.status !== 'received' ? row : undefined;
  }, `event ${msgId} handled`);

test('a picture attached on /sandbox is sent as user_send_image and downloaded from the stand-in', async () => {
  const name = 'giấy tờ.png';
  const res = await fetch(
    `${url}/sandbox/api/upload?userId=${USER}&type=image%2Fpng&name=${encodeURIComponent(name)}&caption=xem`,
    { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: PNG },
  );
  expect(res.status).toBe(200);
  const answer = (await res.json()) as { status: number; msgId: string; eventName: string; mediaPath: string };
  expect(answer).toMatchObject({ status: 200, eventName: 'user_send_image' });

  const served = await fetch(`${url}${answer.mediaPath}`);
  expect(served.headers.get('x-content-type-options')).toBe('nosniff');
  expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);

  const stored = await storedEvent(answer.msgId);
  expect(stored.status).toBe('processed');
  const [attachment] = attachmentsOf(stored.payload!) as Array<{ type: string; payload: { url: string } }>;
  expect(attachment!.type).toBe('image');
  expect(attachment!.payload.url).toBe(`${url}${answer.mediaPath}`);

  const [conversation] = await db().select().from(conversations).where(eq(conversations.zaloUserId, USER));
  const { jobs, rows } = await db().transaction((tx) =>
    recordAttachments(tx, {
      conversationId: conversation!.id,
      inboundEventId: stored.id,
      ticketId: null,
      attachments: attachmentsOf(stored.payload!),
    }),
  );
  await enqueueAttachmentDownloads(hotline.queues.attachments, jobs);
  const row = await eventually(async () => {
    const [r] = await db().select().from(attachments).where(eq(attachments.id, rows[0]!.id));
    return r?.status === 'downloaded' ? r : undefined;
  }, 'the picture stored');
  expect(row.sha256).toBe(crypto.createHash('sha256').update(PNG).digest('hex'));
  expect(fs.readFileSync(path.join(dataDir, row.storagePath!)).equals(PNG)).toBe(true);

  // The console will serve it through this handler: a download, typed by its content, never sniffed.
  const app = express().get('/a/:id', serveAttachment(db(), dataDir));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const file = await fetch(`${base}/a/${row.id}`);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    // Zalo sends images without a name: the download is named after the row and the sniffed type.
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="attachment-${row.id}.png"; filename*=UTF-8''attachment-${row.id}.png`,
    );
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await fetch(`${base}/a/999999`)).status).toBe(404);
    expect((await fetch(`${base}/a/abc`)).status).toBe(404);
  } finally {
    server.close();
    server.closeAllConnections();
  }
});

test('a document is sent as user_send_file with its name, size and checksum', async () => {
  const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\n%%EOF\n', 'latin1');
  const res = await fetch(`${url}/sandbox/api/upload?userId=${USER}&type=application%2Fpdf&name=don.pdf`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: pdf,
  });
  const answer = (await res.json()) as { msgId: string; eventName: string };
  expect(answer.eventName).toBe('user_send_file');
  const stored = await storedEvent(answer.msgId);
  expect(attachmentsOf(stored.payload!)).toEqual([
    {
      type: 'file',
      payload: {
        url: expect.stringMatching(/\/sandbox\/zalo\/media\/[0-9a-f]+\/don\.pdf$/),
        name: 'don.pdf',
        size: String(pdf.length),
        checksum: crypto.createHash('md5').update(pdf).digest('hex'),
        type: 'pdf',
      },
    },
  ]);
});

test('a location pin and a sticker are sent as Zalo sends them', async () => {
  const loc = await postJson('/location', { userId: USER, latitude: 10.0341, longitude: 105.788 });
  const locEvent = await storedEvent(((await loc.json()) as { msgId: string }).msgId);
  expect(locEvent.eventName).toBe('user_send_location');
  expect(attachmentsOf(locEvent.payload!)).toEqual([
    { type: 'location', payload: { coordinates: { latitude: '10.0341', longitude: '105.788' } } },
  ]);
  const sticker = await postJson('/sticker', { userId: USER, stickerId: '46991' });
  const stickerEvent = await storedEvent(((await sticker.json()) as { msgId: string }).msgId);
  expect(stickerEvent.eventName).toBe('user_send_sticker');
  expect(stickerEvent.problem).toBeNull();
  const [s] = attachmentsOf(stickerEvent.payload!) as Array<{ payload: { id: string; url: string } }>;
  expect(s!.payload.id).toBe('46991');
  expect((await fetch(s!.payload.url)).headers.get('content-type')).toMatch(/^image\/svg\+xml/);
});

test('bad uploads and requests get a 400 in Vietnamese', async () => {
  const empty = await fetch(`${url}/sandbox/api/upload?userId=${USER}&name=a.png`, { method: 'POST' });
  expect(empty.status).toBe(400);
  const noName = await fetch(`${url}/sandbox/api/upload?userId=${USER}`, { method: 'POST', body: PNG });
  expect(((await noName.json()) as { error: { message: string } }).error.message).toContain('Thiếu tên tệp');
  expect((await postJson('/location', { userId: USER, latitude: 91, longitude: 0 })).status).toBe(400);
  expect((await postJson('/sticker', { userId: USER, stickerId: '1' })).status).toBe(400);
});
