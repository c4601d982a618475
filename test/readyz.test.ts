import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app';
import type { Database } from '../src/db/client';
import { appendToIntake, intakeBacklog } from '../src/queues/intake-stream';
import { createQueues } from '../src/queues/queues';
import { bullConnection, createRedis } from '../src/redis/connection';
import { TokenManager } from '../src/zalo/tokens';
import { createZaloWebhookHandler } from '../webhooks/zalo-webhook';
import { openTestDb, testRedisUrl, uniquePrefix } from './support/harness';
import { testConfig } from './support/hotline';

/**
 * `npm start` listens before its workers have loaded (seconds): until they run, /readyz says
 * "starting" with 503, so a load balancer or a benchmark does not count on answers yet.
 */
describe('GET /readyz while the workers start', () => {
  let database: Database;
  let server: http.Server;
  let base = '';
  let workersUp = false;
  const prefix = uniquePrefix();
  const producer = createRedis(testRedisUrl(), 'producer');
  const lockRedis = createRedis(testRedisUrl(), 'worker');
  const queues = createQueues(bullConnection(testRedisUrl(), 'producer'), prefix);

  beforeAll(async () => {
    database = await openTestDb('pglite');
    const config = testConfig('http://127.0.0.1:9');
    const app = createApp({
      config,
      database,
      producer,
      queues,
      tokens: new TokenManager({ db: database.db, redis: lockRedis, config: config.zalo }),
      webhook: createZaloWebhookHandler({
        appId: config.zalo.appId,
        secret: config.zalo.webhookSecret,
        enqueue: (job) => appendToIntake(producer, prefix, job),
        bodyLimitKb: config.webhookBodyLimitKb,
      }),
      intakeBacklog: () => intakeBacklog(producer, prefix),
      selfUrl: () => base,
      workersRunning: () => workersUp,
    });
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await queues.close();
    await Promise.all([producer.quit(), lockRedis.quit()]);
    await database.close();
  });

  const readyz = async () => {
    const res = await fetch(`${base}/readyz`);
    return { status: res.status, body: (await res.json()) as { status: string; workers?: { running: boolean } } };
  };

  it('503 "starting" before the workers run, 200 "ready" after; /healthz is 200 throughout', async () => {
    expect(await readyz()).toMatchObject({ status: 503, body: { status: 'starting', workers: { running: false } } });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    workersUp = true;
    expect(await readyz()).toMatchObject({ status: 200, body: { status: 'ready', workers: { running: true } } });
  });
});
