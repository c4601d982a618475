import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { APP_ID, APP_SECRET, OA_SECRET } from './events';
import { sleep } from './report';

export const ROOT = path.resolve(__dirname, '..', '..');
/** BullMQ key prefix the hotline child is started with. */
export const QUEUE_PREFIX = 'cchc';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Child {
  name: string;
  url: string;
  proc: ChildProcess;
  /** The last lines the child wrote (both streams), for failure reports. */
  tail: string[];
  /** Lines per JSON log level (hotline) or 'other'. */
  levels: Record<string, number>;
  stop(): Promise<void>;
}

/** Spawns `node --import tsx <script>` from the repo root and keeps the last 50 lines of output. */
function spawnNode(
  name: string,
  url: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  afterExit?: () => Promise<void>,
): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const levels: Record<string, number> = {};
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const level = /"level":"(\w+)"/.exec(line)?.[1] ?? 'other';
      levels[level] = (levels[level] ?? 0) + 1;
      tail.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
      if (tail.length > 50) tail.shift();
    }
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    name,
    url,
    proc,
    tail,
    levels,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        // SIGTERM like an orchestrator would, so the hotline runs its graceful shutdown (and writes a
        // --cpu-prof profile); SIGKILL only if that hangs past its own deadline.
        proc.kill('SIGTERM');
        const hard = setTimeout(() => proc.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(hard);
      }
      await afterExit?.();
    },
  };
}

/** Polls `url` until it answers 200; fails early (with the child's output) if the child dies. */
export async function waitReady(child: Child, pathName: string, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (child.proc.exitCode !== null)
      throw new Error(`${child.name} exited (${child.proc.exitCode}):\n${child.tail.join('\n')}`);
    const ok = await fetch(child.url + pathName, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > end) throw new Error(`${child.name} not ready after ${timeoutMs} ms:\n${child.tail.join('\n')}`);
    await sleep(200);
  }
}

/** A stale pid file must not make us signal an unrelated process that reused the pid. */
function isRedis(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server');
  } catch {
    return false;
  }
}

export interface HotlineChild extends Child {
  dataDir: string;
  databaseUrl?: string;
  /** Deletes DATA_DIR; separate from stop() so the database can be read after the process has exited. */
  remove(): void;
}

export interface HotlineOptions {
  zaloUrl: string;
  databaseUrl?: string;
  /** Extra node flags, e.g. --cpu-prof (from BENCH_NODE_ARGS). */
  nodeArgs?: string[];
}

/**
 * The hotline as production runs it: `node --import tsx src/main.ts main` (what scripts/start.mjs
 * spawns), NODE_ENV=production, a fresh DATA_DIR, its private redis-server (no REDIS_URL), PGlite
 * unless a DATABASE_URL is given, the Zalo API pointed at the bench's stand-in.
 */
export async function startHotlineChild(opts: HotlineOptions): Promise<HotlineChild> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-bench-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // Explicit, so the queue probe (hotline-state.ts) reads the right keys whatever the default becomes.
    QUEUE_PREFIX,
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: APP_SECRET,
    ZALO_OA_SECRET_KEY: OA_SECRET,
    ZALO_ACCESS_TOKEN: 'bench-access-token',
    ZALO_REFRESH_TOKEN: 'bench-refresh-token',
    ZALO_OPENAPI_URL: opts.zaloUrl,
    ZALO_OAUTH_URL: opts.zaloUrl,
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    // Tuning knobs an operator could set in production pass through, so their effect can be measured.
    ...(process.env.ZALO_SEND_RATE_PER_MIN ? { ZALO_SEND_RATE_PER_MIN: process.env.ZALO_SEND_RATE_PER_MIN } : {}),
  };
  const args = [...(opts.nodeArgs ?? []), path.join(ROOT, 'src', 'main.ts'), 'main'];
  const stopOrphanRedis = async () => {
    // The hotline stops its redis-server on SIGTERM; if it was killed instead, stop that one too
    // (by the pid it wrote, never by name).
    const pidFile = path.join(dataDir, 'redis', 'redis.pid');
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : 0;
    if (pid > 0 && isRedis(pid)) {
      try {
        process.kill(pid, 'SIGTERM');
        await sleep(300);
      } catch {
        /* already gone */
      }
    }
  };
  const child = spawnNode('hotline', `http://127.0.0.1:${port}`, args, env, stopOrphanRedis);
  const remove = () => fs.rmSync(dataDir, { recursive: true, force: true });
  try {
    await waitReady(child, '/readyz');
  } catch (e) {
    await child.stop();
    remove();
    throw e;
  }
  return { ...child, dataDir, databaseUrl: opts.databaseUrl, remove };
}

/**
 * The baseline server (bench/lib/bare-server.ts) in its own process, like the hotline: `sink` reads
 * the body and answers 200; `echo` also sends one CS message per event to the stand-in.
 */
export async function startBareChild(mode: 'sink' | 'echo', zaloUrl?: string): Promise<Child> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    PORT: String(port),
    BARE_MODE: mode,
    ...(zaloUrl ? { ZALO_URL: zaloUrl } : {}),
  };
  const child = spawnNode(`bare-${mode}`, `http://127.0.0.1:${port}`, [path.join(__dirname, 'bare-server.ts')], env);
  await waitReady(child, '/readyz', 30_000);
  return child;
}

/**
 * The fields of /proc/<path>/stat after the command name's ")" (the name may hold spaces): utime is
 * [11], stime [12], cutime [13], cstime [14], in clock ticks (100/s). Throws when the process is gone.
 */
function statFields(procPath: string): { name: string; fields: string[] } {
  const stat = fs.readFileSync(`/proc/${procPath}/stat`, 'utf8');
  const close = stat.lastIndexOf(')');
  return { name: stat.slice(stat.indexOf('(') + 1, close), fields: stat.slice(close + 2).split(' ') };
}

const ticks = (fields: string[], from: number, to: number) =>
  fields.slice(from, to + 1).reduce((sum, f) => sum + Number(f), 0);

/** CPU seconds (user + system, all threads) a process has used so far; Linux /proc, else undefined. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    return ticks(statFields(String(pid)).fields, 11, 12) / 100;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of a PostgreSQL server so far: the postmaster, its live backends, and (cutime/cstime)
 * the backends that already exited. Read from the pid in the cluster's postmaster.pid.
 */
export function postgresCpuSeconds(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    let total = ticks(statFields(String(pid)).fields, 11, 14);
    for (const child of fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)) {
      if (!child) continue;
      try {
        total += ticks(statFields(child).fields, 11, 12);
      } catch {
        // exited between the two reads: its time is in the postmaster's cutime from now on
      }
    }
    return total / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds per thread of a process, summed by thread name (main thread, worker threads, pools). */
export function cpuByThread(pid: number | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!pid) return out;
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      const { name, fields } = statFields(`${pid}/task/${tid}`);
      const key = tid === String(pid) ? 'main' : name;
      out[key] = (out[key] ?? 0) + ticks(fields, 11, 12) / 100;
    }
  } catch {
    /* the process is gone */
  }
  return out;
}

/** CPU milliseconds per unit of work by thread between two cpuByThread() samples (threads that did nothing left out). */
export function cpuMsByThread(
  before: Record<string, number>,
  after: Record<string, number>,
  units: number,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([name, sec]) => [name, ((sec - (before[name] ?? 0)) * 1000) / units] as const)
      .filter(([, v]) => v > 0.001),
  );
}

/** The hotline's private redis-server, from the pid file it writes under DATA_DIR. */
export function redisPid(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'redis', 'redis.pid'), 'utf8'));
    return pid > 0 && isRedis(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Extra node flags for the hotline child, e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
export function nodeArgsFromEnv(): string[] {
  return (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}
