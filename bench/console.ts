// npm run bench:console — the console's lists and dashboard against a large history.
//
// Starts a throwaway PostgreSQL 15 cluster (Debian's binaries; as root it runs as `postgres`), applies
// our migrations, seeds --tickets (default 1,000,000) server-side, ANALYZEs, then times the query
// functions the API calls (median of --runs after --warmup) beside a primary-key lookup in the same
// run. Target (issue 5): each median under 20× the primary-key lookup's.
//
//   --tickets=N --runs=N --warmup=N --batch=N
//   --url=postgres://…   use an existing database (seeded once; reused when it already holds N tickets)
//   --keep               leave the throwaway cluster running and print its URL (to EXPLAIN by hand)
import { eq, sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/db/client';
import { tickets } from '../src/db/schema';
import type { Actor } from '../src/auth/roles';
import { listTickets, listTriage, listQuerySchema } from '../src/console/ticket-list';
import {
  conductReports,
  dueSoonAndOverdue,
  onTimeByUnit,
  satisfactionByUnit,
  trends,
  type Period,
} from '../src/console/dashboard';
import { startLocalPostgres } from '../test/support/services';
import { COMMUNES, seedTickets } from './lib/console-seed';
import { Verdicts, int, machineLine, ms, numberOption, stringOption, table } from './lib/report';

const TARGET = 20;
const total = numberOption('tickets', 1_000_000);
const runs = numberOption('runs', 31);
const warmup = numberOption('warmup', 5);
const batch = numberOption('batch', 100_000);
const keep = process.argv.includes('--keep');

const admin: Actor = { userId: 1, email: 'admin@bench', role: 'admin', unitCode: null };
const officer: Actor = { userId: 2, email: 'officer@bench', role: 'unit_officer', unitCode: 'so-03' };
const communeOfficer: Actor = { userId: 3, email: 'xa@bench', role: 'unit_officer', unitCode: 'ubnd-xa-007' };

const localDate = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
const daysAgo = (n: number) => localDate(new Date(Date.now() - n * 86_400_000));

type Rows<T> = { rows: T[] };

/** Median wall time seen by the client, and mean execution time inside the server (when measurable). */
async function timeIt(db: Database['db'], stats: boolean, run: () => Promise<unknown>) {
  for (let i = 0; i < warmup; i++) await run();
  if (stats) await db.execute(sql`select pg_stat_statements_reset()`);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  let server = NaN;
  if (stats) {
    const r = (await db.execute(
      sql`select coalesce(sum(total_exec_time), 0)::float as t from pg_stat_statements where query not like '%pg_stat_statements%'`,
    )) as unknown as Rows<{ t: number }>;
    server = r.rows[0]!.t / runs;
  }
  return { median: times[Math.floor(times.length / 2)]!, server };
}

async function seedIfNeeded(database: Database) {
  const db = database.db;
  const have = Number(
    ((await db.execute(sql`select count(*)::int as n from tickets`)) as unknown as { rows: Array<{ n: number }> })
      .rows[0]!.n,
  );
  if (have >= total) {
    console.log(`Reusing ${int(have)} tickets already there.`);
    return;
  }
  if (have > 0) throw new Error(`The database holds ${have} tickets, fewer than ${total}: give an empty one.`);
  const t0 = Date.now();
  console.log(`Seeding ${int(total)} tickets in batches of ${int(batch)}…`);
  await seedTickets(db, total, batch, (done) => {
    const s = (Date.now() - t0) / 1000;
    console.log(`  ${int(done).padStart(9)} tickets  ${s.toFixed(0).padStart(4)} s  (${int(done / s)}/s)`);
  });
  console.log(`Seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s; ANALYZE…`);
  await db.execute(sql`analyze`);
}

async function main() {
  console.log(machineLine());
  let url = stringOption('url');
  let stop: (() => Promise<void>) | undefined;
  if (!url) {
    const pg = await startLocalPostgres({
      locale: 'C.UTF-8',
      settings: {
        shared_buffers: '512MB',
        maintenance_work_mem: '256MB',
        max_wal_size: '4GB',
        synchronous_commit: 'off',
        // Server-side time per query, beside the client's: the machine may be shared and noisy.
        shared_preload_libraries: 'pg_stat_statements',
      },
    });
    if (!pg) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql: apt-get install -y postgresql');
    url = pg.url;
    stop = pg.stop;
    console.log(`PostgreSQL cluster at ${url}`);
  }
  const database = await openDatabase({ url, poolSize: 2 });
  const db = database.db;
  try {
    await seedIfNeeded(database);
    const maxId = Number(
      ((await db.execute(sql`select max(id)::bigint as m from tickets`)) as unknown as { rows: Array<{ m: string }> })
        .rows[0]!.m,
    );
    const list = (actor: Actor, q: Record<string, string>) => () => listTickets(db, actor, listQuerySchema.parse(q));
    const page1 = await listTickets(db, admin, listQuerySchema.parse({ status: 'dong' }));
    const cursor = page1.nextCursor ?? undefined;
    const quarter: Period = { from: daysAgo(90), to: daysAgo(0), by: 'week' };
    const year: Period = { from: daysAgo(365), to: daysAgo(0), by: 'month' };
    const cases: Array<[string, () => Promise<unknown>]> = [
      [
        'primary-key lookup',
        () =>
          db
            .select()
            .from(tickets)
            .where(eq(tickets.id, 1 + Math.floor(Math.random() * maxId))),
      ],
      ['triage inbox (oldest first)', () => listTriage(db, { limit: 50 })],
      ['unit list by deadline', list(officer, { order: 'deadline' })],
      ['commune unit list by deadline', list(communeOfficer, { order: 'deadline' })],
      ['unit list, newest', list(officer, {})],
      ['all tickets, newest', list(admin, {})],
      ['status=dang_xu_ly', list(admin, { status: 'dang_xu_ly' })],
      ['status=3 open statuses', list(admin, { status: 'da_chuyen_don_vi,dang_xu_ly,cho_bo_sung' })],
      ['category=thue', list(admin, { category: 'thue' })],
      [`commune=${COMMUNES[41]}`, list(admin, { commune: COMMUNES[41]! })],
      ['overdue=true', list(admin, { overdue: 'true' })],
      ['unit overdue=true', list(officer, { overdue: 'true' })],
      ['conduct=true', list(admin, { conduct: 'true' })],
      ['text search, common (hộ tịch)', list(admin, { q: 'hộ tịch' })],
      ['text search, rare (karaoke)', list(admin, { q: 'karaoke' })],
      ['text search, tracking code', list(admin, { q: `pa 2026 ${(maxId - 1234) % 1_000_000}` })],
      ['date range (one month, a year ago)', list(admin, { from: daysAgo(395), to: daysAgo(365) })],
      ['cursor page 2 (status=dong)', list(admin, { status: 'dong', ...(cursor ? { cursor } : {}) })],
      ['dashboard: on-time by unit (90 d)', () => onTimeByUnit(db, quarter)],
      ['dashboard: on-time by unit (1 y)', () => onTimeByUnit(db, year)],
      ['dashboard: overdue and due soon', () => dueSoonAndOverdue(db)],
      ['dashboard: conduct reports (90 d)', () => conductReports(db, quarter)],
      ['dashboard: satisfaction (1 y)', () => satisfactionByUnit(db, year)],
      ['dashboard: trends by category (1 y)', () => trends(db, year, 'category')],
      ['dashboard: trends by commune (90 d)', () => trends(db, quarter, 'commune')],
      ['dashboard: trends by commune (1 y)', () => trends(db, year, 'commune')],
    ];
    const stats = await db.execute(sql`create extension if not exists pg_stat_statements`).then(
      () => true,
      () => false,
    );
    const only = stringOption('only');
    const results: Array<[string, number, number]> = [];
    for (const [name, run] of cases) {
      if (only && name !== 'primary-key lookup' && !name.includes(only)) continue;
      const { median, server } = await timeIt(db, stats, run);
      results.push([name, median, server]);
      console.log(`  ${name.padEnd(40)} ${ms(median, 2)}  (server ${ms(server, 3)})`);
    }
    const pk = results[0]![1];
    const pkServer = results[0]![2];
    const verdicts = new Verdicts();
    console.log(
      `\n${int(total)} tickets, median of ${runs} runs after ${warmup} warm-up, target < ${TARGET}× the primary-key lookup\n`,
    );
    console.log(
      table(
        ['query', 'median (client)', '× PK', 'mean in server', '× PK'],
        results.map(([name, m, sv]) => [name, ms(m, 2), (m / pk).toFixed(1), ms(sv, 3), (sv / pkServer).toFixed(1)]),
      ),
    );
    console.log('');
    // The target is on what the API's caller waits for: the client's median.
    for (const [name, m] of results.slice(1)) verdicts.check(name, m / pk < TARGET, `${(m / pk).toFixed(1)}×`);
    console.log(
      `Server times are pg_stat_statements means (execution only, every statement of the call); n/a without it.\n`,
    );
    verdicts.print();
    process.exitCode = verdicts.failed ? 1 : 0;
  } finally {
    await database.close();
    if (keep && stop) console.log(`Kept running: ${url} (stop it with pg_ctl, or remove its temp dir)`);
    else await stop?.();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
