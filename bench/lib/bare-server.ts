// The baseline: the least a webhook receiver can do on node:http, run as its own process like the
// hotline. BARE_MODE=sink reads the body and answers 200 (ingest baseline). BARE_MODE=echo also
// sends one CS message per event to the stand-in Zalo API right after answering (e2e baseline):
// the HTTP round trip plus the stand-in call, with no queue, database or logic in between.
import http from 'node:http';

const mode = process.env.BARE_MODE ?? 'sink';
const zaloUrl = process.env.ZALO_URL;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const OK = JSON.stringify({ ok: true });

function echo(raw: string): void {
  let userId: string | undefined;
  try {
    userId = (JSON.parse(raw) as { sender?: { id?: string } }).sender?.id;
  } catch {
    return;
  }
  if (!userId || !zaloUrl) return;
  const body = JSON.stringify({ recipient: { user_id: userId }, message: { text: 'Đã nhận.' } });
  const req = http.request(`${zaloUrl}/v3.0/oa/message/cs`, {
    method: 'POST',
    agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), access_token: 'bench' },
  });
  req.on('response', (res) => res.resume());
  req.on('error', () => undefined); // a lost reply shows up as "lost" in the report
  req.end(body);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(OK);
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(OK);
    if (mode === 'echo') echo(Buffer.concat(chunks).toString('utf8'));
  });
});
server.keepAliveTimeout = 65_000; // as the hotline sets it
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
