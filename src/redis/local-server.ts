import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { AppError } from '../errors';

export interface LocalRedis {
  url: string;
  stop(): Promise<void>;
}

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || null : null;
}

/** Finds redis-server, installing Debian's package when we are root with apt-get; else explains. */
export function ensureRedisServerBinary(log: (line: string) => void = () => undefined): string {
  const found = which('redis-server');
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && which('apt-get')) {
    log('redis-server is not installed: installing Debian package redis-server (apt-get)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const first = spawnSync('apt-get', ['install', '-y', '-q', 'redis-server'], { stdio: 'ignore', env });
    if (first.status !== 0) {
      // A fresh machine has no package lists yet.
      spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore', env });
      spawnSync('apt-get', ['install', '-y', '-q', 'redis-server'], { stdio: 'ignore', env });
    }
    const after = which('redis-server');
    if (after) return after;
  }
  throw new AppError(
    'REDIS_NOT_INSTALLED',
    'redis-server is not installed: install it (Debian/Ubuntu: sudo apt-get install -y redis-server) or set REDIS_URL.',
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`redis-server exited with code ${child.exitCode}`));
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.end();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > end) reject(new Error('redis-server did not start in time'));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Stops a redis-server left running by a process that was killed, so its AOF is not written twice. */
function stopStale(pidFile: string): void {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    if (pid > 0) process.kill(pid, 'SIGTERM');
  } catch {
    /* nothing stale */
  }
}

/**
 * Starts a private redis-server for this process: data under `dir`, AOF on, noeviction
 * (BullMQ must never lose keys), loopback only, on a free port. One left behind by a killed
 * process is stopped at the next start (pid file).
 */
export async function startLocalRedis(dir: string, opts: { persist?: boolean } = {}): Promise<LocalRedis> {
  const bin = ensureRedisServerBinary((l) => process.stderr.write(l + '\n'));
  fs.mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, 'redis.pid');
  stopStale(pidFile);
  const port = await freePort();
  const persist = opts.persist !== false;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--pidfile',
    pidFile,
    '--maxmemory-policy',
    'noeviction',
    '--appendonly',
    persist ? 'yes' : 'no',
    '--appendfsync',
    'everysec',
    '--save',
    persist ? '900 1' : '',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
    '--logfile',
    path.join(dir, 'redis.log'),
  ];
  // Its own process group: a Ctrl-C or a group SIGTERM reaches us first, and we stop Redis after
  // the workers have finished with it.
  const child = spawn(bin, args, { stdio: 'ignore', detached: true });
  await waitForPort(port, child, 15000);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
