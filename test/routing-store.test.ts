import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client';
import { routingConfigs } from '../src/db/schema';
import { RoutingConfigError } from '../src/routing/config-schema';
import {
  activateConfig,
  listConfigVersions,
  loadActiveConfig,
  RoutingConfigCache,
  seedIfEmpty,
} from '../src/routing/config-store';
import { decideRoute } from '../src/routing/decide';
import { captureLogs } from './support/capture-logs';
import { dbKinds, openTestDb } from './support/harness';
import { classified, fixtureConfig, lineOf, toText } from './support/routing-fixture';

const logged = captureLogs();
const count = async (database: Database) => (await database.db.select().from(routingConfigs)).length;

describe.each(dbKinds())('routing configuration in the database (%s)', (kind) => {
  let database: Database;
  // One database per kind (PGlite takes seconds to start); the table is emptied between tests.
  beforeAll(async () => {
    database = await openTestDb(kind);
  });
  beforeEach(async () => {
    await database.db.execute(sql`truncate routing_configs restart identity`);
  });
  afterAll(async () => {
    await database.close();
  });

  it('stores each activation as a new version with who, when and why', async () => {
    const before = new Date(Date.now() - 1000);
    const v1 = await activateConfig(database.db, toText(fixtureConfig()), { by: 'Nguyễn Văn A', note: 'lần đầu' });
    const v2 = await activateConfig(database.db, toText(fixtureConfig()), { by: 'Trần Thị B' });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const active = await loadActiveConfig(database.db, 'test');
    expect(active).toMatchObject({ id: v2.id, version: 2, createdBy: 'Trần Thị B', note: null });
    expect(active!.createdAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    const history = await listConfigVersions(database.db, 'test');
    expect(history.map((h) => [h.version, h.createdBy, h.note])).toEqual([
      [2, 'Trần Thị B', null],
      [1, 'Nguyễn Văn A', 'lần đầu'],
    ]);
    expect(await loadActiveConfig(database.db, 'other')).toBeNull();
    await expect(activateConfig(database.db, toText(fixtureConfig()), { by: '  ' })).rejects.toThrow(/who activates/);
  });

  it('refuses a broken file with its line, stores nothing, and keeps the old configuration in force', async () => {
    await activateConfig(database.db, toText(fixtureConfig()), { by: 'Nguyễn Văn A' });
    const cache = new RoutingConfigCache(database.db, 'test', { checkEverySeconds: 0, seedFile: null });
    expect((await cache.get()).version).toBe(1);

    const syntax = toText(fixtureConfig()).replace('"triage": {', '"triage": {,');
    const bad = fixtureConfig();
    bad.rules[1]!.unit = 'vp-dat-dai-cu';
    const badText = toText(bad);
    for (const [text, line, reason] of [
      [syntax, lineOf(syntax, '"triage"'), /invalid JSON/],
      [badText, lineOf(badText, '"vp-dat-dai-cu"'), /rules\[1\]\.unit: unit "vp-dat-dai-cu" is not defined/],
    ] as const) {
      const err = await activateConfig(database.db, text, { by: 'Lê Văn C', fileName: 'new.json' }).catch((e) => e);
      expect(err).toBeInstanceOf(RoutingConfigError);
      expect(err.problems[0]).toMatchObject({ line, reason: expect.stringMatching(reason) });
      expect(err.message).toMatch(new RegExp(`^new\\.json:${line}: `));
    }
    expect(await count(database)).toBe(1);
    expect(await loadActiveConfig(database.db, 'test')).toMatchObject({ version: 1, createdBy: 'Nguyễn Văn A' });
    expect((await cache.get()).version).toBe(1);
  });

  it('makes a rule change take effect through the cache without a restart', async () => {
    let now = 1_000_000;
    await activateConfig(database.db, toText(fixtureConfig()), { by: 'Nguyễn Văn A' });
    const cache = new RoutingConfigCache(database.db, 'test', { checkEverySeconds: 5, now: () => now, seedFile: null });
    const route = async () =>
      decideRoute(
        (await cache.get()).config,
        classified({ category: 'xay_dung' }),
        { text: 'xin phép xây nhà' },
        { threshold: 0.6 },
      );
    expect((await route()).unit).toBe('so-xay-dung');

    // A decree moves the matter: the administrator activates a new version.
    const changed = fixtureConfig();
    changed.rules.find((r) => r.id === 'xay-dung')!.unit = 'so-tai-chinh';
    await activateConfig(database.db, toText(changed), { by: 'Trần Thị B', note: 'Quyết định mới' });

    now += 2_000; // within the check interval: no query, the version in hand is used
    expect((await route()).unit).toBe('so-xay-dung');
    now += 5_000;
    expect((await route()).unit).toBe('so-tai-chinh');
    expect(cache.peek()).toMatchObject({ version: 2, createdBy: 'Trần Thị B', note: 'Quyết định mới' });
  });

  it('gives concurrent activations distinct versions', async () => {
    const text = toText(fixtureConfig());
    const all = await Promise.all(['A', 'B', 'C'].map((by) => activateConfig(database.db, text, { by })));
    expect(all.map((v) => v.version).sort()).toEqual([1, 2, 3]);
  });

  it('keeps the version in force when a stored version can no longer be read', async () => {
    await activateConfig(database.db, toText(fixtureConfig()), { by: 'Nguyễn Văn A' });
    const cache = new RoutingConfigCache(database.db, 'test', { checkEverySeconds: 0, seedFile: null });
    expect((await cache.get()).version).toBe(1);
    // As if a newer release had tightened the schema: the stored file no longer passes.
    await database.db.insert(routingConfigs).values({
      provinceCode: 'test',
      version: 2,
      config: {},
      source: '{"province": {"code": "test"}}',
      createdBy: 'old release',
    });
    expect((await cache.get()).version).toBe(1);
    expect(logged.join('')).toMatch(/routing configuration not loaded; the previous version stays in force/);
  });

  it('seeds an empty table from can-tho.json once, by "seed"', async () => {
    const cache = new RoutingConfigCache(database.db, 'can-tho', { checkEverySeconds: 0 });
    const active = await cache.get();
    expect(active).toMatchObject({ version: 1, createdBy: 'seed', provinceCode: 'can-tho' });
    expect(active.config.communes.length).toBeGreaterThanOrEqual(103);
    expect(await seedIfEmpty(database.db)).toBeNull();
    await new RoutingConfigCache(database.db, 'can-tho', { checkEverySeconds: 0 }).get();
    expect(await count(database)).toBe(1);
  });

  it('never seeds over an existing history, and refuses to edit it', async () => {
    await activateConfig(database.db, toText(fixtureConfig()), { by: 'Nguyễn Văn A' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'routing-'));
    const seed = path.join(dir, 'seed.json');
    fs.writeFileSync(seed, toText(fixtureConfig()));
    expect(await seedIfEmpty(database.db, seed)).toBeNull();
    await expect(database.db.execute(sql`update routing_configs set created_by = 'someone else'`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from routing_configs`)).rejects.toThrow();
    expect((await listConfigVersions(database.db, 'test'))[0]!.createdBy).toBe('Nguyễn Văn A');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('routing CLI', () => {
  const root = path.resolve(__dirname, '..');
  const run = (script: string, args: string[], env: Record<string, string> = {}) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
    delete childEnv.DATABASE_URL;
    delete childEnv.ZALO_APP_ID;
    const r = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
      cwd: root,
      env: { ...childEnv, ...env },
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'routing-cli-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('routing:check prints OK with the counts, or file:line: reason and exit 1', () => {
    const ok = run('routing-check', ['data/provinces/can-tho.json']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^OK: \d+ units, \d+ communes, \d+ rules\n$/);
    const config = fixtureConfig();
    config.copyRules[0]!.unit = 'kiem-tra';
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, toText(config));
    const bad = run('routing-check', [file]);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe(
      `${file}:${lineOf(toText(config), '"kiem-tra"')}: copyRules[0].unit: unit "kiem-tra" is not defined in units\n`,
    );
  });

  it('routing:activate stores a version in the embedded database and refuses a locked one', () => {
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, toText(fixtureConfig()));
    const ok = run('routing-activate', ['--file', file, '--by', 'Nguyễn Văn A', '--note', 'thử'], { DATA_DIR: dir });
    expect(ok.err).toBe('');
    expect(ok.out).toMatch(/^Activated test version 1 by Nguyễn Văn A at \S+: 18 units, 9 communes, 20 rules\n$/);

    const missing = run('routing-activate', ['--file', file], { DATA_DIR: dir });
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--by is required/);

    // A running hotline holds the embedded database: the lock file names a live process.
    fs.writeFileSync(path.join(dir, 'pglite.lock'), String(process.pid));
    const locked = run('routing-activate', ['--file', file, '--by', 'Nguyễn Văn A'], { DATA_DIR: dir });
    expect(locked.code).toBe(1);
    expect(locked.err).toMatch(/The embedded database in .* is in use by process \d+/);
  }, 60_000);
});
