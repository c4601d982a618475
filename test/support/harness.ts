import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Client } from 'pg';
import { openDatabase, type Database } from '../../src/db/client';

/** Helpers shared by tests: real Redis and real Postgres, isolated per test file. */
export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the tests through jest (global setup starts Redis)');
  return url;
}

/** A unique BullMQ prefix, so tests never see each other's jobs. */
export function uniquePrefix(): string {
  return `t${crypto.randomBytes(6).toString('hex')}`;
}

export type DbKind = 'pglite' | 'postgres';

/** The kinds the storage tests run on: PGlite always, PostgreSQL when the global setup started one. */
export function dbKinds(): DbKind[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** A fresh, empty database on the test PostgreSQL server; drop() removes it. */
export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set');
  const name = `cchc_${crypto.randomBytes(6).toString('hex')}`;
  const c = new Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const d = new Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

/** Opens a migrated database: PGlite in memory, or a fresh database on the test PostgreSQL server. */
export async function openTestDb(kind: DbKind = 'pglite'): Promise<Database> {
  if (kind === 'pglite') return openDatabase({});
  const pg = await createPgDatabase();
  const database = await openDatabase({ url: pg.url, poolSize: 4 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await pg.drop();
    },
  };
}

const TABLES = [
  'ticket_events',
  'conversation_audit',
  'staff_audit',
  'outbound_messages',
  'tickets',
  'inbound_events',
  'conversations',
  'tracking_counters',
  'zalo_tokens',
  'dead_letters',
  'routing_configs',
  'classification_corrections',
  'calendar_overrides',
  'sla_alerts',
  'notifications',
  'ticket_clocks',
  'consents',
  'deletion_requests',
  'attachments',
  'users',
  'ticket_stats_daily',
  'canned_answers',
  'progress_updates',
  'digests',
];

/** Empties every table between tests (TRUNCATE skips the append-only row trigger by design). */
export async function resetDb(database: Database): Promise<void> {
  await database.db.execute(sql.raw(`truncate ${TABLES.join(', ')} restart identity cascade`));
}
