import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { Client } from 'pg';
import { openDatabase, type Database } from '../src/db/client';
import { inboundEvents, outboundMessages, tickets } from '../src/db/schema';
import { startHotline, type Hotline } from '../src/hotline';
import { freePort } from '../src/redis/local-server';
import { spawnHotline } from './support/child-hotline';
import { createPgDatabase, testRedisUrl, uniquePrefix } from './support/harness';
import { ev, eventually, postEvent, testConfig } from './support/hotline';

/** A stand-in Zalo whose next CS send can be made to hang, so a worker can be killed mid-send. */
async function hangingZalo() {
  const delivered: string[] = [];
  const hung: http.ServerResponse[] = [];
  let hangNext = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const reply = (o: object) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(o));
      if (req.url?.endsWith('/oa/access_token'))
        return reply({ access_token: `at-${Date.now()}`, refresh_token: `rt-${Date.now()}`, expires_in: '90000' });
      if (req.url === '/v3.0/oa/message/cs') {
        if (hangNext > 0) {
          hangNext -= 1;
          hung.push(res);
          return;
        }
        const user = JSON.parse(body).recipient.user_id as string;
        delivered.push(user);
        return reply({
          error: 0,
          message: 'Success',
          data: { message_id: crypto.randomBytes(8).toString('hex'), user_id: user, sent_time: String(Date.now()) },
        });
      }
      reply({ error: -201, message: 'unknown endpoint' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    delivered,
    hung,
    hang: (n: number) => (hangNext = n),
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

const FAST_STALL = { JOB_LOCK_MS: '1000', JOB_STALLED_CHECK_MS: '500', INTAKE_BURST_MS: '200' };

describe('a worker killed mid-job loses nothing and repeats nothing', () => {
  const maybe = process.env.TEST_DATABASE_URL ? it : it.skip;

  maybe(
    'inbound: killed inside the ticket transaction (PostgreSQL), the stalled job re-runs once',
    async () => {
      const zalo = await hangingZalo();
      const pg = await createPgDatabase();
      const database = await openDatabase({ url: pg.url, poolSize: 4 });
      const prefix = uniquePrefix();
      const config = { ...testConfig(zalo.url, { INTAKE_BURST_MS: '200' }), databaseUrl: pg.url, queuePrefix: prefix };
      const web: Hotline = await startHotline(config, { role: 'web', database });
      const worker = spawnHotline('worker', zalo.url, {
        REDIS_URL: testRedisUrl(),
        DATABASE_URL: pg.url,
        QUEUE_PREFIX: prefix,
        ...FAST_STALL,
      });
      let recovered: Hotline | undefined;
      const blocker = new Client({ connectionString: pg.url });
      try {
        await worker.waitFor('workers running');
        const user = '83000000000000001';
        expect((await postEvent(web.url!, ev.text(user, 'Hồ sơ tách thửa nộp 3 tháng chưa có kết quả'))).status).toBe(
          200,
        );
        await eventually(() => zalo.delivered.includes(user), 'the summary', 20000);
        // Hold the tickets table so the worker's transaction (the citizen's "có") blocks mid-job.
        await blocker.connect();
        await blocker.query('begin');
        await blocker.query('lock table tickets in access exclusive mode');
        const yes = ev.text(user, 'có');
        expect((await postEvent(web.url!, yes)).status).toBe(200);
        await eventually(
          async () =>
            (await database.db.select().from(inboundEvents).where(eq(inboundEvents.zaloMsgId, yes.message.msg_id)))[0],
          'stored event',
        );
        await new Promise((r) => setTimeout(r, 300));
        await worker.kill('SIGKILL');
        await blocker.query('rollback');

        recovered = await startHotline(config, {
          role: 'worker',
          database,
          workerOptions: { lockDurationMs: 1000, stalledIntervalMs: 500, schedule: false },
        });
        await eventually(
          () => zalo.delivered.filter((u) => u === user).length >= 2,
          'the acknowledgement after recovery',
          20000,
        );
        await new Promise((r) => setTimeout(r, 1500));
        expect(zalo.delivered.filter((u) => u === user)).toHaveLength(2);
        expect(await database.db.select().from(tickets).where(eq(tickets.zaloUserId, user))).toHaveLength(1);
        const rows = await database.db.select().from(inboundEvents).where(eq(inboundEvents.zaloUserId, user));
        expect(rows.map((r) => r.status)).toEqual(['processed', 'processed']);
      } finally {
        await blocker.end().catch(() => undefined);
        await worker.kill('SIGKILL');
        await recovered?.stop();
        await web.stop();
        await database.close();
        await pg.drop();
        await zalo.close();
      }
    },
    120000,
  );

  // `npm start` runs the workers on a thread of their own, with PGlite there or on PostgreSQL.
  const mainOn = [
    ['the embedded PGlite', 'embedded database', it],
    ['PostgreSQL', 'PostgreSQL', process.env.TEST_DATABASE_URL ? it : it.skip],
  ] as const;
  describe.each(mainOn)('outbound: `npm start` on %s', (_name, threadLog, run) => {
    run(
      'killed mid-send and restarted, sends the reply once',
      async () => {
        const zalo = await hangingZalo();
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-crash-'));
        const pg = threadLog === 'PostgreSQL' ? await createPgDatabase() : undefined;
        const env = {
          REDIS_URL: testRedisUrl(),
          DATA_DIR: dataDir,
          QUEUE_PREFIX: uniquePrefix(),
          ...FAST_STALL,
          ...(pg ? { DATABASE_URL: pg.url } : {}),
        };
        const port = await freePort();
        const user = '83000000000000002';
        let second: ReturnType<typeof spawnHotline> | undefined;
        const first = spawnHotline('main', zalo.url, { ...env, PORT: String(port) });
        try {
          await first.waitFor(`workers running (own thread, ${threadLog})`, 60000);
          zalo.hang(1);
          expect(
            (await postEvent(`http://127.0.0.1:${port}`, ev.text(user, 'Đăng ký khai sinh cho con 2 tuần chưa có')))
              .status,
          ).toBe(200);
          await eventually(() => zalo.hung.length === 1, 'the send to hang');
          await first.kill('SIGKILL');

          second = spawnHotline('main', zalo.url, { ...env, PORT: String(port) });
          await second.waitFor('workers running', 60000);
          await eventually(() => zalo.delivered.includes(user), 'the reply after restart', 15000);
          await new Promise((r) => setTimeout(r, 1500));
          await second.kill('SIGTERM');
          expect(zalo.delivered.filter((u) => u === user)).toHaveLength(1);

          const database: Database = await openDatabase(
            pg ? { url: pg.url, poolSize: 2 } : { pgliteDir: path.join(dataDir, 'pglite') },
          );
          try {
            // The hung send was the summary: no ticket until the citizen confirms it.
            expect(await database.db.select().from(tickets).where(eq(tickets.zaloUserId, user))).toHaveLength(0);
            const outs = await database.db.select().from(outboundMessages).where(eq(outboundMessages.zaloUserId, user));
            expect(outs.map((o) => o.status)).toEqual(['sent']);
          } finally {
            await database.close();
          }
        } finally {
          await first.kill('SIGKILL');
          await second?.kill('SIGKILL');
          await zalo.close();
          await pg?.drop();
          fs.rmSync(dataDir, { recursive: true, force: true });
        }
      },
      180000,
    );
  });
});
