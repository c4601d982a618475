#!/usr/bin/env node
// `npm test` on a fresh clone: installs the dependencies if missing, makes sure redis-server (and,
// as root, PostgreSQL for the storage tests) are installed, then typechecks, lints and runs jest.
// Extra arguments go to jest: `npm test -- test/webhook`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
};
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const isRoot = process.getuid?.() === 0;

// npm install, not npm ci: see scripts/start.mjs.
if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json')))
  run('npm', ['install', '--no-audit', '--no-fund']);

const missing = [];
if (!has('redis-server')) missing.push('redis-server');
const pgInstalled = fs.existsSync('/usr/lib/postgresql') && fs.readdirSync('/usr/lib/postgresql').length > 0;
if (!pgInstalled) missing.push('postgresql');
// The console's browser tests drive Debian's Chromium through playwright-core.
if (!fs.existsSync('/usr/bin/chromium')) missing.push('chromium');
if (missing.length) {
  if (isRoot && has('apt-get')) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    console.error(`Installing ${missing.join(', ')} (apt-get)…`);
    run('apt-get', ['update', '-q'], { env });
    run('apt-get', ['install', '-y', '-q', ...missing], { env });
  } else if (missing.includes('redis-server')) {
    console.error(
      'The tests need redis-server: sudo apt-get install -y redis-server (and postgresql for the storage tests).',
    );
    process.exit(1);
  } else {
    if (missing.includes('postgresql'))
      console.error(
        'PostgreSQL is not installed: the storage tests run on PGlite only (apt-get install -y postgresql adds them).',
      );
    if (missing.includes('chromium'))
      console.error(
        'Chromium is not installed: the browser tests are skipped (apt-get install -y chromium adds them).',
      );
  }
}

const extra = process.argv.slice(2);
if (!extra.length) {
  run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  run('npx', ['eslint', '.']);
  run('npx', ['prettier', '--check', '--log-level', 'warn', '.']);
}
// PGlite loads Node built-ins with import(), which jest's VM allows only with this flag.
const nodeOptions = [process.env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning']
  .filter(Boolean)
  .join(' ');
run('npx', ['jest', ...extra], { env: { ...process.env, NODE_ENV: 'test', NODE_OPTIONS: nodeOptions } });
