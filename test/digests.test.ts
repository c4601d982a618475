import type { AddressInfo } from 'node:net';
import { Queue, Worker } from 'bullmq';
import { SMTPServer } from 'smtp-server';
import type { Database } from '../src/db/client';
import { digests, users } from '../src/db/schema';
import { createSmtpMailer } from '../src/digests/smtp-mailer';
import { QUEUE, type DigestJob } from '../src/queues/queues';
import { bullConnection, createRedis } from '../src/redis/connection';
import { NO_NAMES } from '../src/routing/names';
import { defaultCalendar } from '../src/sla/calendar-data';
import type { Mailer } from '../src/sla/digests';
import { createDigestProcessor, scheduleDigests } from '../workers/digest';
import { dbKinds, openTestDb, resetDb, testRedisUrl, uniquePrefix } from './support/harness';
import { eventually } from './support/hotline';
import { at, newTicket } from './support/sla-fixture';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on a free port: what nodemailer hands over is what an MTA would get. */
async function startSmtp() {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        done();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { received, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(dbKinds())('digests mailed to a local SMTP server (%s)', (kind) => {
  let database: Database;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let queue: Queue<DigestJob>;
  let worker: Worker<DigestJob> | undefined;
  let mailer: (Mailer & { close(): void }) | undefined;
  const redis = createRedis(testRedisUrl(), 'producer');
  const prefix = uniquePrefix();
  const now = at('2026-03-30 07:00');
  const startWorker = (m: Mailer | undefined) => {
    worker = new Worker<DigestJob>(
      QUEUE.digest,
      createDigestProcessor(
        () => ({
          db: database.db,
          mailer: m,
          cal: defaultCalendar(),
          names: NO_NAMES,
          inspectionUnit: 'kiem-tra-cong-vu',
        }),
        () => now,
      ),
      { connection: bullConnection(testRedisUrl(), 'worker'), prefix },
    );
  };
  let n = 0;
  const run = async (task: 'daily' | 'weekly') => {
    const job = await queue.add(task, { task, at: now.toISOString() }, { jobId: `test-${task}-${++n}` });
    await eventually(async () => ['completed', 'failed'].includes(await job.getState()), `${task} digest job`);
    return (await queue.getJob(job.id!))!;
  };

  beforeAll(async () => {
    database = await openTestDb(kind);
    smtp = await startSmtp();
    queue = new Queue<DigestJob>(QUEUE.digest, { connection: redis, prefix });
    mailer = createSmtpMailer({
      url: `smtp://127.0.0.1:${smtp.port}`,
      port: smtp.port,
      from: 'Tổng đài CCHC <tongdai@cantho.gov.vn>',
    });
  });
  afterAll(async () => {
    await worker?.close();
    mailer?.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.quit();
    await smtp.close();
    await database.close();
  });
  beforeEach(async () => {
    await resetDb(database);
    smtp.received.length = 0;
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });

  async function seed() {
    const db = database.db;
    await db.insert(users).values([
      { email: 'canbo@soxd.cantho.gov.vn', role: 'unit_officer', unitCode: 'so-xay-dung', passwordHash: 'x' },
      { email: 'giamdoc@soxd.cantho.gov.vn', role: 'unit_head', unitCode: 'so-xay-dung', passwordHash: 'x' },
      {
        email: 'nghi@soxd.cantho.gov.vn',
        role: 'unit_officer',
        unitCode: 'so-xay-dung',
        passwordHash: 'x',
        disabled: true,
      },
      { email: 'thanhtra@cantho.gov.vn', role: 'inspector', passwordHash: 'x' },
    ]);
    return newTicket(db, at('2026-03-02 09:00'), 'so-xay-dung'); // answer due 23/3: late on the 30th
  }

  it('the daily digest reaches the unit once, however often the job runs', async () => {
    const t = await seed();
    startWorker(mailer);
    expect((await run('daily')).returnvalue).toEqual({ 'so-xay-dung': 'sent' });
    await eventually(() => smtp.received.length === 1, 'one mail');
    const [mail] = smtp.received;
    expect(mail!.from).toBe('tongdai@cantho.gov.vn');
    expect(mail!.to.sort()).toEqual(['canbo@soxd.cantho.gov.vn', 'giamdoc@soxd.cantho.gov.vn']);
    expect(mail!.raw).toContain(t.trackingCode);
    const [row] = await database.db.select().from(digests);
    expect(row).toMatchObject({ kind: 'unit_daily', unitCode: 'so-xay-dung', periodKey: '2026-03-30', status: 'sent' });
    expect(row!.subject).toBe('[Tổng đài CCHC] Hạn xử lý phản ánh của so-xay-dung ngày 30/03/2026');
    expect(row!.body).toContain(`- ${t.trackingCode}: Trả lời người gửi — quá hạn 7 ngày`);

    // A second run of the same day (a retry, a restart) sends nothing more.
    expect((await run('daily')).returnvalue).toEqual({ 'so-xay-dung': 'sent' });
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received).toHaveLength(1);
    expect(await database.db.select().from(digests)).toHaveLength(1);
  });

  it('sends no daily digest on a public holiday', async () => {
    await seed();
    startWorker(mailer);
    // 30/4/2026, Reunification Day: a Thursday off.
    const job = await queue.add(
      'daily',
      { task: 'daily', at: at('2026-04-30 07:00').toISOString() },
      { jobId: 'holiday' },
    );
    await eventually(async () => (await job.getState()) === 'completed', 'holiday run');
    expect((await queue.getJob('holiday'))!.returnvalue).toEqual({});
    expect(await database.db.select().from(digests)).toEqual([]);
  });

  it('the weekly summary goes to the inspection team', async () => {
    await seed();
    startWorker(mailer);
    expect((await run('weekly')).returnvalue).toEqual({ inspection: 'sent' });
    await eventually(() => smtp.received.length === 1, 'one mail');
    expect(smtp.received[0]!.to).toEqual(['thanhtra@cantho.gov.vn']);
    const [row] = await database.db.select().from(digests);
    expect(row).toMatchObject({ kind: 'inspection_weekly', unitCode: 'kiem-tra-cong-vu', status: 'sent' });
    // Its three clocks (first response, forward, answer) are all open and late; the worst by 20 days.
    expect(row!.body.split('\n')).toContain('so-xay-dung | 3 | 3 | 20 | 0 | – | –');
  });

  it('without SMTP the digest is stored and marked skipped', async () => {
    await seed();
    startWorker(undefined);
    expect((await run('daily')).returnvalue).toEqual({ 'so-xay-dung': 'skipped' });
    const [row] = await database.db.select().from(digests);
    expect(row).toMatchObject({ status: 'skipped', error: 'smtp_not_configured' });
    expect(smtp.received).toHaveLength(0);
  });

  it('schedules both digests as job schedulers in Vietnamese time', async () => {
    await scheduleDigests(queue, { dailyCron: '0 7 * * 1-5', weeklyCron: '30 7 * * 1' });
    const s = await queue.getJobSchedulers();
    expect(s.map((x) => [x.key, x.pattern, x.tz]).sort()).toEqual([
      ['digest-daily', '0 7 * * 1-5', 'Asia/Ho_Chi_Minh'],
      ['digest-weekly', '30 7 * * 1', 'Asia/Ho_Chi_Minh'],
    ]);
    await queue.removeJobScheduler('digest-daily');
    await queue.removeJobScheduler('digest-weekly');
  });
});
