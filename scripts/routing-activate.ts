// Validates a routing configuration and stores it as the new version in force, recording who and why:
//   npm run routing:activate -- --file data/provinces/can-tho.json --by "Nguyễn Văn A" [--note "…"]
// Uses DATABASE_URL, or the embedded database under DATA_DIR (which a running hotline holds locked).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runCli } from './lib/run-cli';
import { ConfigError, loadConfig } from '../src/config/env';
import { openSharedDatabase, type Database } from '../src/db/client';
import { AppError } from '../src/errors';
import { log } from '../src/log';
import { parseRoutingConfig, RoutingConfigError } from '../src/routing/config-schema';
import { activateConfig, listConfigVersions } from '../src/routing/config-store';

const USAGE =
  'usage: npm run routing:activate -- --file <config.json> --by "<họ tên người kích hoạt>" [--note "<lý do>"]';

function usage(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<number> {
  // The summary line is the output; routine info logs would only clutter it.
  log.setLevel('warn');
  let values: { file?: string; by?: string; note?: string };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      options: { file: { type: 'string' }, by: { type: 'string' }, note: { type: 'string' } },
    }));
  } catch (e) {
    usage((e as Error).message);
  }
  if (!values.file) usage('--file is required');
  if (!values.by?.trim()) usage('--by is required: who activates this configuration is recorded');
  const file = values.file;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`${file}:1: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    return 1;
  }
  // Validate before opening the database: a broken file needs no database, and nothing is stored.
  try {
    parseRoutingConfig(text, file);
  } catch (e) {
    if (!(e instanceof RoutingConfigError)) throw e;
    for (const p of e.problems) console.error(`${file}:${p.line}: ${p.reason}`);
    console.error('Not activated: the configuration in force is unchanged.');
    return 1;
  }

  let database: Database;
  try {
    const config = loadConfig();
    database = await openSharedDatabase({ url: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') });
  } catch (e) {
    if (e instanceof AppError || e instanceof ConfigError) {
      console.error(e.message);
      if (e instanceof AppError && e.code === 'DB_EMBEDDED_IN_USE')
        console.error('Nothing was activated. Stop the hotline first, or activate through DATABASE_URL (PostgreSQL).');
      return 1;
    }
    throw e;
  }
  try {
    const active = await activateConfig(database.db, text, { by: values.by!, note: values.note, fileName: file });
    const [, previous] = await listConfigVersions(database.db, active.provinceCode);
    const c = active.config;
    console.log(
      `Activated ${active.provinceCode} version ${active.version} by ${active.createdBy} at ${active.createdAt.toISOString()}: ` +
        `${c.units.length} units, ${c.communes.length} communes, ${c.rules.length} rules` +
        (previous ? ` (replaces version ${previous.version} by ${previous.createdBy})` : ''),
    );
    return 0;
  } finally {
    await database.close();
  }
}

runCli(main);
