#!/usr/bin/env node
// `npm start` on a fresh clone: installs the dependencies if they are missing, then runs the hotline
// (role main: web + workers; `npm run web` / `npm run worker` for separate processes).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const role = process.argv[2] ?? 'main';

if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  console.error('Installing dependencies (npm install, versions pinned by package-lock.json)…');
  // Not `npm ci`: the registry reached here lacks some other platforms' optional binaries, and
  // npm ci refuses a lock file that cannot list them; npm install honours the lock all the same.
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'main.ts'), role], {
  cwd: root,
  stdio: 'inherit',
  env: { NODE_ENV: 'production', ...process.env },
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
