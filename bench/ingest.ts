// Signed-webhook ingest: throughput and latency of POST /webhooks/zalo with the workers running,
// against a bare node:http baseline measured in the same run. Usage and figures: docs/benchmarks.md.
//   npm run bench:ingest -- --connections=20 --duration=10 --warmup=2 --drain=120
import autocannon from 'autocannon';
import { startFakeZaloServer } from '../src/sandbox/fake-zalo-api';
import { EventStream, runTag, signingCostUs } from './lib/events';
import { breakdown, countStored, openQueueProbe, ReplyTracker, total, type Backlog } from './lib/hotline-state';
import {
  cpuByThread,
  cpuMsByThread,
  cpuSeconds,
  nodeArgsFromEnv,
  redisPid,
  startBareChild,
  startHotlineChild,
  type Child,
} from './lib/procs';
import { int, machineLine, ms, numberOption, sleep, table, Verdicts } from './lib/report';

const CONNECTIONS = numberOption('connections', 20);
const DURATION_S = numberOption('duration', 10);
const WARMUP_S = numberOption('warmup', 2);
const DRAIN_S = numberOption('drain', 120);
const TARGET = { ratio: 0.35, p99Ms: 50 };
const progress = (line: string) => process.stderr.write(`[bench:ingest] ${line}\n`);

interface Run {
  reqPerSec: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  /** Requests sent, warm-up included (some in flight when autocannon stops: the server got them). */
  sent: number;
  ok2xx: number;
  statuses: string;
  /** Answers slower than Zalo's 2 s (zalo-oa.md §1), measured run only: Zalo would redeliver those. */
  over2s: number;
  /** CPU milliseconds per measured request: the target process, its redis-server, the load generator. */
  cpuMs: { server?: number; redis?: number; generator: number };
  /** CPU milliseconds per measured request by thread of the target process (main, worker threads, pools). */
  threadMs: Record<string, number>;
}

/**
 * Warm-up then measured run, same settings for every target. Each request is built and signed in
 * autocannon's setupRequest from a deterministic stream: signing costs a few µs (measured and
 * printed), far below the per-request cost of either server, so no precomputed pool is needed and
 * there is no pool to run dry and start repeating msg_ids (which the hotline would dedupe cheaply).
 */
async function load(url: string, stream: EventStream, pids: { server?: number; redis?: number }): Promise<Run> {
  stream.reset();
  const requests = [
    {
      method: 'POST',
      path: '/webhooks/zalo',
      setupRequest: (req: autocannon.RawRequest) => {
        const e = stream.next();
        req.headers = e.headers;
        req.body = e.body;
        return req;
      },
    },
  ];
  const common = { url, connections: CONNECTIONS, requests, timeout: 10 };
  const warm = await autocannon({ ...common, duration: WARMUP_S });
  const cpu0 = { server: cpuSeconds(pids.server), redis: cpuSeconds(pids.redis), generator: process.cpuUsage() };
  const threads0 = cpuByThread(pids.server);
  const instance = autocannon({ ...common, duration: DURATION_S });
  let over2s = 0;
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (ms > 2000) over2s++;
  });
  const r = await instance;
  const gen = process.cpuUsage(cpu0.generator);
  const threads1 = cpuByThread(pids.server);
  const completed = r.requests.total;
  const perReq = (before?: number, after?: number) =>
    before === undefined || after === undefined ? undefined : ((after - before) * 1000) / completed;
  return {
    reqPerSec: completed / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    non2xx: r.non2xx + warm.non2xx,
    errors: r.errors + warm.errors,
    sent: r.requests.sent + warm.requests.sent,
    ok2xx: r['2xx'] + warm['2xx'],
    over2s,
    statuses: Object.entries(r.statusCodeStats)
      .map(([code, st]) => `${code}×${st.count}`)
      .join(' '),
    threadMs: cpuMsByThread(threads0, threads1, completed),
    cpuMs: {
      server: perReq(cpu0.server, cpuSeconds(pids.server)),
      redis: perReq(cpu0.redis, cpuSeconds(pids.redis)),
      generator: (gen.user + gen.system) / 1000 / completed,
    },
  };
}

async function baseline(stream: EventStream, children: Child[]): Promise<Run> {
  const bare = await startBareChild('sink');
  children.push(bare);
  const run = await load(bare.url, stream, { server: bare.proc.pid });
  await bare.stop();
  return run;
}

async function main(): Promise<void> {
  const stream = new EventStream(runTag());
  const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
  const zalo = await startFakeZaloServer();
  const replies = new ReplyTracker(zalo.sentLog, stream.userPrefix);
  const children: Child[] = [];
  const dataDirs: Array<() => void> = [];
  const verdicts = new Verdicts();
  try {
    const signUs = signingCostUs();
    progress(`signing one event costs ${signUs.toFixed(1)} µs in this process`);
    const plan = `${CONNECTIONS} connections, ${WARMUP_S} s warm-up + ${DURATION_S} s`;
    // The baseline runs before and after the hotline: on a shared machine the spread between the
    // two shows how much of any difference is noise; the ratio uses their mean.
    progress(`baseline 1/2: bare node:http sink, ${plan}`);
    const before = await baseline(stream, children);

    progress(
      `hotline: starting (${databaseUrl ? 'PostgreSQL from BENCH_DATABASE_URL' : 'embedded PGlite'}, private redis-server)`,
    );
    const hot = await startHotlineChild({ zaloUrl: zalo.url, databaseUrl, nodeArgs: nodeArgsFromEnv() });
    children.push(hot);
    dataDirs.push(hot.remove);
    const probe = openQueueProbe(hot);
    progress(`hotline: ready; ${plan}`);
    const hotRun = await load(hot.url, stream, { server: hot.proc.pid, redis: redisPid(hot.dataDir) });
    const loadEnd = Date.now();
    const repliesAtEnd = replies.total;
    const atEnd: Backlog | undefined = await probe?.backlog().catch(() => undefined);

    // Bounded drain: the outbound queue is rate-limited like Zalo (ZALO_SEND_RATE_PER_MIN, 4,000/min),
    // so a large burst legitimately takes minutes to answer; past the bound the rest is estimated.
    progress(`draining the backlog (at most ${DRAIN_S} s)…`);
    let drained: number | undefined;
    let last = atEnd;
    while (probe && Date.now() - loadEnd < DRAIN_S * 1000) {
      last = await probe.backlog().catch(() => last);
      if (last && last.inbound === 0 && last.outbound === 0) {
        drained = (Date.now() - loadEnd) / 1000;
        break;
      }
      await sleep(500);
    }
    const drainWindow = (Date.now() - loadEnd) / 1000;
    await probe?.close();
    await hot.stop();
    const stored = await countStored(hot, stream.userPrefix).catch((e: unknown) => {
      progress(`could not count rows: ${String(e)}`);
      return undefined;
    });
    progress(`baseline 2/2: ${plan}`);
    const after = await baseline(stream, children);

    const baseRps = (before.reqPerSec + after.reqPerSec) / 2;
    const ratio = hotRun.reqPerSec / baseRps;
    console.log(`\n== bench:ingest — signed webhook ingest, workers running ==`);
    console.log(machineLine());
    console.log(
      `${plan} measured per target; every request a distinct signed user_send_text (signed per request in ` +
        `setupRequest: ${signUs.toFixed(1)} µs each); hotline = src/main.ts main on ${databaseUrl ? 'PostgreSQL' : 'PGlite'} ` +
        `+ private redis-server, NODE_ENV=production\n`,
    );
    const cpu = (v?: number) => (v === undefined ? '-' : v.toFixed(3));
    const row = (name: string, r: Run) => [
      name,
      int(r.reqPerSec),
      ms(r.p50, 0),
      ms(r.p99, 0),
      ms(r.max, 0),
      int(r.over2s),
      int(r.non2xx),
      int(r.errors),
      cpu(r.cpuMs.server),
      cpu(r.cpuMs.redis),
      cpu(r.cpuMs.generator),
    ];
    console.log(
      table(
        [
          'target',
          'req/s',
          'p50',
          'p99',
          'max',
          '> 2 s',
          'non-2xx',
          'errors',
          'CPU ms/req: server',
          'redis',
          'autocannon',
        ],
        [
          row('baseline, before (node:http)', before),
          row('hotline /webhooks/zalo', hotRun),
          row('baseline, after', after),
        ],
      ),
    );
    console.log(
      `\nratio hotline/baseline req/s = ${ratio.toFixed(3)} (baseline mean ${int(baseRps)} req/s; against each run ` +
        `${(hotRun.reqPerSec / before.reqPerSec).toFixed(3)} / ${(hotRun.reqPerSec / after.reqPerSec).toFixed(3)})`,
    );
    console.log(
      'autocannon latencies: whole milliseconds, 2xx responses only. CPU from /proc, all threads of each process.',
    );
    const byThread = (r: Run) =>
      Object.entries(r.threadMs)
        .sort((a, b) => b[1] - a[1])
        .map(([name, v]) => `${name} ${v.toFixed(3)}`)
        .join(', ');
    console.log(
      `hotline CPU ms/req by thread: ${byThread(hotRun)} (main = web server; node = the workers' thread, with PGlite when embedded, and V8's helper threads)`,
    );

    console.log(
      `\nworkers, same run: ${int(hotRun.sent)} events sent (warm-up included), ${int(hotRun.ok2xx)} answered 2xx before autocannon stopped`,
    );
    if (atEnd) {
      console.log(
        `  when the load stopped: inbound backlog ${int(atEnd.inbound)}, outbound backlog ${int(atEnd.outbound)}, replies at the stand-in ${int(repliesAtEnd)}`,
      );
    } else console.log('  (queue counts unavailable: the private redis-server was not found)');
    if (drained !== undefined) console.log(`  backlog drained ${drained.toFixed(1)} s after the load stopped`);
    else if (last) {
      const rate = (replies.total - repliesAtEnd) / drainWindow;
      console.log(
        `  NOT drained within ${drainWindow.toFixed(0)} s: inbound backlog ${int(last.inbound)}, outbound ${int(last.outbound)}; ` +
          `replies came at ${rate.toFixed(0)}/s, so about ${int((last.inbound + last.outbound) / Math.max(rate, 1))} s more`,
      );
    }
    console.log(
      `  replies at the stand-in Zalo API: ${int(replies.total)} (${((replies.total / hotRun.sent) * 100).toFixed(1)} % of sent); ` +
        replies.describe(),
    );
    if (last?.failed) console.log(`  failed jobs: ${int(last.failed)}`);
    if (stored) {
      console.log(
        `  stored: ${int(total(stored.events))} inbound events (${breakdown(stored.events)}), ${int(stored.tickets)} tickets, ` +
          `outbox ${int(total(stored.outbound))} (${breakdown(stored.outbound)})`,
      );
    }
    const logs = Object.entries(hot.levels)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    console.log(`  hotline log lines at LOG_LEVEL=warn: ${logs || 'none'}`);
    if (hot.tail.length) console.log(`  last: ${hot.tail.slice(-3).join('\n        ')}`);

    console.log('');
    verdicts.check(
      'throughput ratio ≥ 0.35',
      ratio >= TARGET.ratio,
      `${ratio.toFixed(3)} (${int(hotRun.reqPerSec)} / ${int(baseRps)} req/s)`,
    );
    verdicts.check('hotline p99 ≤ 50 ms', hotRun.p99 <= TARGET.p99Ms, ms(hotRun.p99, 0));
    verdicts.check(
      'hotline: no non-2xx, no errors',
      hotRun.non2xx + hotRun.errors === 0,
      `${hotRun.non2xx} non-2xx, ${hotRun.errors} errors`,
    );
    verdicts.check(
      'hotline: every answer < 2 s',
      hotRun.over2s === 0,
      `${hotRun.over2s} slower (Zalo's limit, zalo-oa.md §1)`,
    );
    verdicts.check(
      'hotline: no citizen answered twice',
      replies.duplicates.length === 0,
      `${replies.duplicates.length} duplicate sends`,
    );
    const baseBad = before.non2xx + before.errors + after.non2xx + after.errors;
    verdicts.check('baseline: no non-2xx, no errors', baseBad === 0, `${baseBad} non-2xx or errors`);
    verdicts.print();
  } finally {
    for (const c of children) await c.stop().catch(() => undefined);
    for (const remove of dataDirs) remove();
    await zalo.close();
  }
  process.exitCode = verdicts.failed ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
