import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DownloadError, downloadToTemp, type DownloadOptions } from '../src/attachments/download';
import { AttachmentRefusal } from '../src/attachments/source-guard';

/*
 * The downloader alone, against a local server that misbehaves the ways a CDN can: every failure must come
 * out as a refusal (final) or a DownloadError with a stable code (retried), never as a code-less error.
 */
const MAX = 64 * 1024;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const png = (size: number) => Buffer.concat([PNG, crypto.randomBytes(size - PNG.length)]);

const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
  '/ok.png': (_req, res) => res.writeHead(200).end(png(20_000)),
  // Headers and 20 KB, then the connection is cut: the response never completes.
  '/cut.png': (req, res) => {
    res.writeHead(200, { 'Content-Type': 'image/png' });
    res.write(png(20 * 1024), () => setTimeout(() => req.socket.destroy(), 20));
  },
  '/busy.png': (_req, res) => res.writeHead(503).end('busy'),
  '/endless.png': (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'image/png' });
    const more = () => {
      while (!res.destroyed) if (!res.write(png(16 * 1024))) return res.once('drain', more);
    };
    more();
  },
};
const server = http.createServer((req, res) => {
  const route = routes[req.url ?? ''];
  if (route) route(req, res);
  else res.writeHead(404).end();
});
let base = '';
let tmpDir = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-dl-'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(tmpDir, { recursive: true, force: true });
});

const options = (): DownloadOptions => ({
  policy: { hosts: [], origins: [base] },
  maxBytes: MAX,
  types: ['png'],
  timeoutMs: 10_000,
  tmpDir,
});
const failure = (p: string) =>
  downloadToTemp(`${base}${p}`, options()).then(
    () => undefined,
    (e: unknown) => e,
  );

test('a complete download lands in a temporary file with its size and type', async () => {
  const file = await downloadToTemp(`${base}/ok.png`, options());
  expect(file).toMatchObject({ bytes: 20_000, type: 'png', mime: 'image/png' });
  expect(fs.statSync(file.tmpPath).size).toBe(20_000);
  fs.rmSync(file.tmpPath);
});

test('a connection cut in the middle is a retryable network failure that says how far it got', async () => {
  const e = await failure('/cut.png');
  expect(e).toBeInstanceOf(DownloadError);
  expect(e).toMatchObject({ code: 'ATTACHMENT_UNREACHABLE' });
  expect((e as Error).message).toMatch(/after \d+ bytes \(ECONNRESET\)$/);
  expect(fs.readdirSync(tmpDir)).toEqual([]);
});

test('a refused connection and an HTTP error keep codes of their own', async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const refused = await downloadToTemp(`http://127.0.0.1:${port}/x.png`, {
    ...options(),
    policy: { hosts: [], origins: [`http://127.0.0.1:${port}`] },
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(refused).toMatchObject({ code: 'ATTACHMENT_UNREACHABLE' });
  expect(await failure('/busy.png')).toMatchObject({ code: 'ATTACHMENT_HTTP_503' });
});

test('a body past the limit is a refusal, whatever the socket reports as it is cut', async () => {
  const e = await failure('/endless.png');
  expect(e).toBeInstanceOf(AttachmentRefusal);
  expect(e).toMatchObject({ reason: 'too_large' });
  expect(fs.readdirSync(tmpDir)).toEqual([]);
});
