import fs from 'node:fs';
import path from 'node:path';
import { desc, eq, max, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { routingConfigs } from '../db/schema';
import { log } from '../log';
import { parseRoutingConfig, type RoutingConfig } from './config-schema';
import { isUniqueViolation } from '../db/errors';

/**
 * The routing configuration in force lives in the database, one row per version, so an administrator
 * changes who handles what without a release and the history records who did it and when.
 */
export const DEFAULT_SEED_FILE = path.resolve(__dirname, '../../data/provinces/can-tho.json');

export interface ActiveRoutingConfig {
  id: number;
  provinceCode: string;
  version: number;
  config: RoutingConfig;
  createdBy: string;
  createdAt: Date;
  note: string | null;
}

export type RoutingConfigVersion = Omit<ActiveRoutingConfig, 'config'>;

/** Validates a configuration and stores it as the new version in force. Nothing is stored on error. */
export async function activateConfig(
  db: Db,
  text: string,
  opts: { by: string; note?: string; fileName?: string },
): Promise<ActiveRoutingConfig> {
  const by = opts.by?.trim();
  if (!by) throw new Error('activateConfig: say who activates the configuration ("by")');
  const config = parseRoutingConfig(text, opts.fileName ?? '(routing configuration)');
  const provinceCode = config.province.code;
  // Two administrators activating at once compute the same version; the unique index makes one retry.
  for (let attempt = 1; ; attempt++) {
    try {
      const [row] = await db
        .insert(routingConfigs)
        .values({
          provinceCode,
          version: sql`(select coalesce(max(${routingConfigs.version}), 0) + 1 from ${routingConfigs} where ${routingConfigs.provinceCode} = ${provinceCode})`,
          config: config as unknown as Record<string, unknown>,
          source: text,
          createdBy: by,
          note: opts.note?.trim() || null,
        })
        .returning();
      log.info('routing configuration activated', { province: provinceCode, version: row!.version });
      return { ...toVersion(row!), config };
    } catch (e) {
      if (attempt >= 5 || !isUniqueViolation(e)) throw e;
    }
  }
}

function toVersion(row: typeof routingConfigs.$inferSelect): RoutingConfigVersion {
  return {
    id: row.id,
    provinceCode: row.provinceCode,
    version: row.version,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    note: row.note,
  };
}

/** The version in force for a province, or null when none was ever activated. */
export async function loadActiveConfig(db: Db, provinceCode: string): Promise<ActiveRoutingConfig | null> {
  const [row] = await db
    .select()
    .from(routingConfigs)
    .where(eq(routingConfigs.provinceCode, provinceCode))
    .orderBy(desc(routingConfigs.version))
    .limit(1);
  if (!row) return null;
  // Re-validated from the stored file: a release may have tightened the schema since it was activated.
  const config = parseRoutingConfig(row.source, `routing_configs#${row.id} (${provinceCode} v${row.version})`);
  return { ...toVersion(row), config };
}

/** Who changed routing and when, newest first. */
export async function listConfigVersions(db: Db, provinceCode: string): Promise<RoutingConfigVersion[]> {
  const rows = await db
    .select()
    .from(routingConfigs)
    .where(eq(routingConfigs.provinceCode, provinceCode))
    .orderBy(desc(routingConfigs.version));
  return rows.map(toVersion);
}

/** On first start (no configuration at all) the shipped file becomes version 1, by "seed". */
export async function seedIfEmpty(db: Db, file = DEFAULT_SEED_FILE): Promise<ActiveRoutingConfig | null> {
  const [any] = await db.select({ id: routingConfigs.id }).from(routingConfigs).limit(1);
  if (any) return null;
  try {
    return await activateConfig(db, fs.readFileSync(file, 'utf8'), {
      by: 'seed',
      note: `seeded from ${path.relative(process.cwd(), file) || file}`,
      fileName: file,
    });
  } catch (e) {
    // Another process seeded at the same moment: its version 1 is as good as ours.
    if (isUniqueViolation(e)) return null;
    throw e;
  }
}

export interface CacheOptions {
  /** How often the database is asked whether a new version exists. */
  checkEverySeconds?: number;
  /** The file to seed an empty table from; null never seeds. */
  seedFile?: string | null;
  now?: () => number;
}

/**
 * The configuration in force, re-read when a new version appears. The check is one indexed max(id)
 * at most every few seconds, so routing can ask on every ticket.
 */
export class RoutingConfigCache {
  private current: ActiveRoutingConfig | null = null;
  private checkedAt = -Infinity;
  private pending: Promise<ActiveRoutingConfig> | null = null;
  /** A version that failed to load is not re-parsed on every check. */
  private refusedId: number | null = null;

  constructor(
    private readonly db: Db,
    readonly provinceCode: string,
    private readonly opts: CacheOptions = {},
  ) {}

  async get(): Promise<ActiveRoutingConfig> {
    const now = this.opts.now ?? Date.now;
    const every = (this.opts.checkEverySeconds ?? 10) * 1000;
    if (this.current && now() - this.checkedAt < every) return this.current;
    this.pending ??= this.refresh().finally(() => (this.pending = null));
    return this.pending;
  }

  /** The last version loaded, without asking the database (null before the first get()). */
  peek(): ActiveRoutingConfig | null {
    return this.current;
  }

  private async refresh(): Promise<ActiveRoutingConfig> {
    const latestId = async () => {
      const [row] = await this.db
        .select({ id: max(routingConfigs.id) })
        .from(routingConfigs)
        .where(eq(routingConfigs.provinceCode, this.provinceCode));
      return row?.id == null ? null : Number(row.id);
    };
    let id = await latestId();
    if (id === null && this.opts.seedFile !== null) {
      await seedIfEmpty(this.db, this.opts.seedFile ?? DEFAULT_SEED_FILE);
      id = await latestId();
    }
    this.checkedAt = (this.opts.now ?? Date.now)();
    if (id === null) throw new Error(`No routing configuration for province "${this.provinceCode}" in the database`);
    if (this.current && (this.current.id === id || this.refusedId === id)) return this.current;
    try {
      const loaded = await loadActiveConfig(this.db, this.provinceCode);
      if (!loaded) throw new Error(`No routing configuration for province "${this.provinceCode}" in the database`);
      this.current = loaded;
      log.info('routing configuration loaded', { province: this.provinceCode, version: loaded.version });
    } catch (e) {
      // A version the current schema refuses must not stop routing: keep the one in force and say so.
      if (!this.current) throw e;
      this.refusedId = id;
      log.error('routing configuration not loaded; the previous version stays in force', {
        province: this.provinceCode,
        error: e,
      });
    }
    return this.current;
  }
}
