import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { Pool, type PoolConfig } from 'pg';
import * as schema from './schema';
import { acquireDirLock, lockOwner } from './dir-lock';
import { wireQueryClient } from './pglite-wire-query';
import { servePglite, socketDir, socketPath, SOCKET_PORT } from './pglite-socket';
import { AppError } from '../errors';

/** The same Drizzle API over PGlite and node-postgres; code never needs to know which. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../drizzle');

export interface OpenOptions {
  /** A postgres:// URL; when absent the embedded PGlite is used. */
  url?: string;
  /** Where PGlite keeps its files; absent means in memory (tests). */
  pgliteDir?: string;
  /** Apply committed migrations (true by default). */
  migrate?: boolean;
  poolSize?: number;
  /** Serve the embedded database on a unix socket for other processes (the hotline does). */
  serve?: boolean;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const database = opts.url
    ? await openPostgres(opts.url, opts.poolSize ?? 10)
    : await openPglite(opts.pgliteDir, opts.serve ?? false);
  if (opts.migrate !== false) await migrateDatabase(database);
  return database;
}

export async function migrateDatabase(database: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (database.kind === 'pglite') await migratePglite(database.db as never, config);
  else await migratePg(database.db as never, config);
}

/**
 * For tools and threads that are not the hotline: PostgreSQL when DATABASE_URL is set; else, while a
 * live process holds the embedded database, node-postgres on the socket it serves; else PGlite itself.
 */
export async function openSharedDatabase(opts: {
  url?: string;
  pgliteDir: string;
  migrate?: boolean;
}): Promise<Database> {
  if (opts.url) return openDatabase({ url: opts.url, migrate: opts.migrate });
  if (lockOwner(opts.pgliteDir) === undefined) {
    try {
      return await openDatabase({ pgliteDir: opts.pgliteDir, migrate: opts.migrate });
    } catch (e) {
      // The hotline took the lock between our look and our try: go through its socket.
      if (!(e instanceof AppError && e.code === 'DB_EMBEDDED_IN_USE')) throw e;
    }
  }
  await waitForSocket(opts.pgliteDir);
  // The hotline applied the migrations when it opened the database.
  return openPostgres(
    { host: socketDir(opts.pgliteDir), port: SOCKET_PORT, user: 'postgres', database: 'postgres' },
    4,
  );
}

/** The holder may still be starting; it serves the socket right after opening the database. */
async function waitForSocket(pgliteDir: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fs.existsSync(socketPath(pgliteDir))) {
    if (Date.now() > end || lockOwner(pgliteDir) === undefined) {
      throw new AppError(
        'DB_EMBEDDED_IN_USE',
        `The embedded database in ${pgliteDir} is in use by process ${lockOwner(pgliteDir) ?? '(gone)'}, which does not serve ` +
          `its socket (${socketPath(pgliteDir)}). Stop that process, or set DATABASE_URL.`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function openPostgres(target: string | PoolConfig, poolSize: number): Promise<Database> {
  const pool = new Pool({
    ...(typeof target === 'string' ? { connectionString: target } : target),
    max: poolSize,
    connectionTimeoutMillis: 5000,
    // A hotline's traffic comes in bursts: connections kept a few minutes are not reopened at each one.
    idleTimeoutMillis: 300_000,
  });
  // A broken idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

async function openPglite(dir: string | undefined, serve: boolean): Promise<Database> {
  let release = () => undefined as void;
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    // PGlite admits one process; a second one would corrupt the files, so it is refused with a clear reason.
    release = acquireDirLock(dir);
  }
  // pg_trgm backs the console's text search (migration 0010 creates the extension and its indexes).
  const client = new PGlite({ dataDir: dir, extensions: { pg_trgm } });
  await client.waitReady;
  const server = dir && serve ? await servePglite(client, dir) : undefined;
  const db = drizzlePglite(wireQueryClient(client), { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      await server?.close();
      await client.close();
      release();
    },
  };
}
