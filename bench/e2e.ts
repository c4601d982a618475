// End to end: webhook POST → the citizen's first reply at the (stand-in) Zalo API, at a steady rate
// with an open-loop sender, hotline against an "echo" baseline measured in the same run.
//   npm run bench:e2e -- --rate=50 --duration=30 --grace=10
//   npm run bench:e2e -- --database=postgres   (a throwaway PostgreSQL cluster instead of PGlite)
import fs from 'node:fs';
import { startFakeZaloServer } from '../src/sandbox/fake-zalo-api';
import { EventStream, runTag } from './lib/events';
import { stageTimes, type StageTimes } from './lib/hotline-state';
import { runOpenLoop, type OpenLoopResult } from './lib/open-loop';
import {
  cpuByThread,
  cpuMsByThread,
  cpuSeconds,
  nodeArgsFromEnv,
  postgresCpuSeconds,
  redisPid,
  startBareChild,
  startHotlineChild,
  type Child,
} from './lib/procs';
import {
  int,
  machineLine,
  ms,
  numberOption,
  stringOption,
  summarize,
  table,
  Verdicts,
  type Summary,
} from './lib/report';
import { startLocalPostgres } from '../test/support/services';

const RATE = numberOption('rate', 50);
const DURATION_S = numberOption('duration', 30);
const GRACE_S = numberOption('grace', 10);
/**
 * Seconds at the same rate, from other citizens, before the measured run: the first seconds after a
 * start are slower (JIT, connections) and, with little headroom, their backlog drains for a while.
 * They are printed on a row of their own, not counted. --warmup=0 measures from the start.
 */
const WARMUP_S = numberOption('warmup', 10, true);
/** pglite (the default, as `npm start` runs) or postgres (a throwaway cluster, as a province runs). */
const DATABASE = stringOption('database') ?? 'pglite';
const TARGET = { p95Ms: 1000 };
const progress = (line: string) => process.stderr.write(`[bench:e2e] ${line}\n`);

interface Figures {
  sent: number;
  ok2xx: number;
  errors: number;
  answered: number;
  lost: number;
  duplicates: number;
  ack: Summary;
  /** Webhook answers slower than Zalo's 2 s (zalo-oa.md §1): Zalo would count them failed and redeliver. */
  over2s: number;
  reply: Summary;
  lagMax: number;
}

/** BENCH_DUMP=<prefix> writes every sample as JSON (<prefix>-baseline.json, -hotline.json) for timelines. */
function dump(name: string, r: OpenLoopResult): void {
  const prefix = process.env.BENCH_DUMP;
  if (!prefix) return;
  const t0 = r.samples[0]?.sentAt ?? 0;
  const rows = r.samples.map((s) => ({
    userId: s.userId,
    sentAt: +(s.sentAt - t0).toFixed(1),
    status: s.status,
    ackMs: s.respondedAt === undefined ? null : +(s.respondedAt - s.sentAt).toFixed(1),
    replyMs: s.repliedAt === undefined ? null : +(s.repliedAt - s.sentAt).toFixed(1),
  }));
  fs.writeFileSync(`${prefix}-${name}.json`, JSON.stringify(rows));
}

function figures(name: string, r: OpenLoopResult): Figures {
  dump(name, r);
  const { samples } = r;
  return {
    sent: samples.length,
    ok2xx: samples.filter((s) => s.status !== undefined && s.status >= 200 && s.status < 300).length,
    errors: r.errors,
    answered: samples.length - r.lost,
    lost: r.lost,
    duplicates: r.duplicates,
    ack: summarize(samples.filter((s) => s.respondedAt !== undefined).map((s) => s.respondedAt! - s.sentAt)),
    over2s: samples.filter((s) => s.respondedAt === undefined || s.respondedAt - s.sentAt > 2000).length,
    reply: summarize(samples.filter((s) => s.repliedAt !== undefined).map((s) => s.repliedAt! - s.sentAt)),
    // How late the sender itself was: if this grows, the load generator, not the target, is slow.
    lagMax: Math.max(0, ...samples.map((s) => s.sentAt - s.scheduledAt)),
  };
}

/** CPU seconds by thread of the hotline process, and of the other processes serving it by name. */
type CpuSample = { threads: Record<string, number>; procs: Record<string, number | undefined> };

function cpuPerMessage(before: CpuSample, after: CpuSample, answered: number): string {
  if (!answered) return 'n/a';
  const parts = Object.entries(cpuMsByThread(before.threads, after.threads, answered))
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${ms.toFixed(2)}`);
  for (const [name, end] of Object.entries(after.procs)) {
    const start = before.procs[name];
    if (end !== undefined && start !== undefined)
      parts.push(`${name} ${(((end - start) * 1000) / answered).toFixed(2)}`);
  }
  return parts.join(', ');
}

async function main(): Promise<void> {
  if (DATABASE !== 'pglite' && DATABASE !== 'postgres')
    throw new Error(`--database must be pglite or postgres, got "${DATABASE}"`);
  const zalo = await startFakeZaloServer();
  let databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
  const children: Child[] = [];
  const cleanups: Array<() => unknown> = [];
  let pgDataDir: string | undefined;
  if (!databaseUrl && DATABASE === 'postgres') {
    progress('starting a throwaway PostgreSQL cluster (fsync on, as in production)');
    const pg = await startLocalPostgres({ locale: 'C.UTF-8', fsync: true });
    if (!pg) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql: apt-get install -y postgresql');
    cleanups.push(pg.stop);
    databaseUrl = pg.url;
    pgDataDir = pg.dataDir;
  }
  const dbLabel = !databaseUrl
    ? 'PGlite'
    : pgDataDir
      ? 'PostgreSQL (throwaway cluster)'
      : 'PostgreSQL (BENCH_DATABASE_URL)';
  const verdicts = new Verdicts();
  const tag = runTag();
  // Same bodies for both targets (same tag and timestamps); the stand-in is cleared in between
  // so a late baseline reply cannot be mistaken for a hotline one.
  const stream = new EventStream(tag);
  const run = { url: '', stream, sentLog: zalo.sentLog, rate: RATE, durationS: DURATION_S, graceS: GRACE_S };
  try {
    progress(`baseline: bare node:http echo → stand-in, ${RATE}/s for ${DURATION_S} s (open loop)`);
    const echo = await startBareChild('echo', zalo.url);
    children.push(echo);
    const base = figures('baseline', await runOpenLoop({ ...run, url: echo.url }));
    await echo.stop();
    zalo.sentLog.clear();

    progress(`hotline: starting (${dbLabel}, private redis-server)`);
    const hot = await startHotlineChild({ zaloUrl: zalo.url, databaseUrl, nodeArgs: nodeArgsFromEnv() });
    children.push(hot);
    cleanups.push(hot.remove);
    let warm: Figures | undefined;
    if (WARMUP_S > 0) {
      progress(`hotline: ready; warm-up ${RATE}/s for ${WARMUP_S} s (other citizens, not counted)`);
      let warmTag = runTag();
      while (warmTag === tag) warmTag = runTag();
      const warmRun = { ...run, stream: new EventStream(warmTag), url: hot.url, durationS: WARMUP_S };
      warm = figures('hotline-warmup', await runOpenLoop(warmRun));
      zalo.sentLog.clear();
    }
    progress(`hotline: ${RATE}/s for ${DURATION_S} s, then up to ${GRACE_S} s for the last replies`);
    stream.reset();
    const pids = { server: hot.proc.pid, redis: redisPid(hot.dataDir) };
    const sample = (): CpuSample => ({
      threads: cpuByThread(pids.server),
      procs: {
        'redis-server': cpuSeconds(pids.redis),
        ...(pgDataDir ? { postgres: postgresCpuSeconds(pgDataDir) } : {}),
      },
    });
    const cpu0 = sample();
    const hotline = figures('hotline', await runOpenLoop({ ...run, url: hot.url }));
    // CPU per answered message does not move with the machine's noise the way latencies do.
    const cpu = cpuPerMessage(cpu0, sample(), hotline.answered);
    await hot.stop();
    const stages: StageTimes | undefined = await stageTimes(hot, stream.userPrefix).catch((e: unknown) => {
      progress(`could not read the hotline's timestamps: ${String(e)}`);
      return undefined;
    });

    console.log(`\n== bench:e2e — webhook POST → first reply at the Zalo API, open loop ==`);
    console.log(machineLine());
    console.log(
      `${RATE} messages/s for ${DURATION_S} s, each from a distinct citizen, signed; lost = no reply within ${GRACE_S} s ` +
        `after the last send; hotline on ${dbLabel} + private redis-server, NODE_ENV=production` +
        (WARMUP_S > 0 ? `; measured after ${WARMUP_S} s at the same rate from other citizens (own row)\n` : '\n'),
    );
    const row = (name: string, f: Figures) => [
      name,
      int(f.sent),
      int(f.ok2xx),
      int(f.answered),
      int(f.lost),
      ms(f.ack.p50),
      ms(f.ack.p99),
      ms(f.reply.p50),
      ms(f.reply.p95),
      ms(f.reply.p99),
      ms(f.reply.max),
    ];
    console.log(
      table(
        ['target', 'sent', '2xx', 'answered', 'lost', 'POST→200 p50', 'p99', 'POST→reply p50', 'p95', 'p99', 'max'],
        [
          row('baseline (node:http echo)', base),
          ...(warm ? [row(`hotline, first ${WARMUP_S} s (not counted)`, warm)] : []),
          row('hotline', hotline),
        ],
      ),
    );
    console.log(
      `\nhotline adds to POST→reply: p50 +${ms(hotline.reply.p50 - base.reply.p50)}, p95 +${ms(hotline.reply.p95 - base.reply.p95)}, ` +
        `p99 +${ms(hotline.reply.p99 - base.reply.p99)}`,
    );
    console.log(
      `sender lateness (max): baseline ${ms(base.lagMax)}, hotline ${ms(hotline.lagMax)}; POST errors: baseline ${base.errors}, hotline ${hotline.errors}`,
    );
    if (stages) {
      const [i, o] = [summarize(stages.inbound), summarize(stages.outbound)];
      console.log(`\nwhere the hotline's time goes (its own timestamps, ${i.count} messages):`);
      console.log(
        table(
          ['stage', 'p50', 'p95', 'p99', 'max'],
          [
            ['webhook accepted → inbound job done', ms(i.p50), ms(i.p95), ms(i.p99), ms(i.max)],
            ['inbound job done → Zalo send returned', ms(o.p50), ms(o.p95), ms(o.p99), ms(o.max)],
          ],
        ),
      );
    }
    console.log(
      `hotline CPU ms per answered message: ${cpu} (main = web server; node = the workers' thread, with PGlite when embedded, and V8's helper threads)`,
    );
    const logs = Object.entries(hot.levels)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    console.log(`hotline log lines at LOG_LEVEL=warn: ${logs || 'none'}`);
    if (hot.tail.length) console.log(`  last: ${hot.tail.slice(-3).join('\n        ')}`);

    console.log('');
    verdicts.check('hotline POST→reply p95 ≤ 1 s', hotline.reply.p95 <= TARGET.p95Ms, ms(hotline.reply.p95));
    verdicts.check('hotline: nothing lost', hotline.lost === 0, `${hotline.lost} of ${hotline.sent} unanswered`);
    verdicts.check(
      'hotline: every POST 2xx',
      hotline.ok2xx === hotline.sent,
      `${hotline.sent - hotline.ok2xx} not 2xx`,
    );
    verdicts.check(
      'hotline: every POST answered < 2 s',
      hotline.over2s === 0,
      `${hotline.over2s} slower (Zalo's limit, zalo-oa.md §1)`,
    );
    verdicts.check(
      'hotline: no citizen answered twice',
      hotline.duplicates === 0,
      `${hotline.duplicates} duplicate sends`,
    );
    verdicts.check('baseline: nothing lost', base.lost === 0, `${base.lost} of ${base.sent} unanswered`);
    verdicts.print();
  } finally {
    for (const c of children) await c.stop().catch(() => undefined);
    for (const c of cleanups) await c();
    await zalo.close();
  }
  process.exitCode = verdicts.failed ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
