import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/redis/local-server';

/**
 * A throwaway PostgreSQL cluster from Debian's packages, for the storage tests.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 */
export interface LocalPostgres {
  url: string;
  /** The cluster's data directory (its postmaster.pid names the server process). */
  dataDir: string;
  stop(): Promise<void>;
}

export function findPostgresBin(): string | null {
  const roots = ['/usr/lib/postgresql'];
  for (const root of roots) {
    if (!fs.existsSync(root)) continue;
    const versions = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const bin = path.join(root, v, 'bin');
      if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'postgres'))) return bin;
    }
  }
  return null;
}

export interface LocalPostgresOptions {
  /** initdb --locale (bench:console uses C.UTF-8, as a production cluster would be). */
  locale?: string;
  /** Extra server settings (-c name=value). */
  settings?: Record<string, string>;
  /** Keep fsync on, as production does (bench:e2e); tests turn it off for speed. */
  fsync?: boolean;
}

export async function startLocalPostgres(o: LocalPostgresOptions = {}): Promise<LocalPostgres | null> {
  const bin = findPostgresBin();
  if (!bin) return null;
  const isRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-pg-'));
  const asUser = (cmd: string, args: string[]): [string, string[]] =>
    isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  if (isRoot) {
    fs.chmodSync(dir, 0o755);
    spawnSync('chown', ['postgres:postgres', dir]);
  }
  const data = path.join(dir, 'data');
  const [c1, a1] = asUser(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
    ...(o.locale ? [`--locale=${o.locale}`] : []),
  ]);
  const init = spawnSync(c1, a1, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const pgCtl = path.join(bin, 'pg_ctl');
  const extra = Object.entries(o.settings ?? {}).map(([k, v]) => ` -c ${k}=${v}`);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${o.fsync ? 'on' : 'off'}${extra.join('')}`;
  const [c2, a2] = asUser(pgCtl, ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
  const started = spawnSync(c2, a2, { encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`postgres did not start: ${started.stderr}${started.stdout}`);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    dataDir: data,
    stop: async () => {
      const [c3, a3] = asUser(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      spawnSync(c3, a3, { stdio: 'ignore' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
