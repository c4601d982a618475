import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { zaloEnv } from './hotline';

const ROOT = path.resolve(__dirname, '../..');

/** The hotline as its own OS process (`src/main.ts <role>`), so a test can SIGKILL it like a crash. */
export interface ChildHotline {
  child: ChildProcess;
  output: string[];
  /** Resolves when a log line contains the text. */
  waitFor(text: string, ms?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnHotline(
  role: 'main' | 'web' | 'worker',
  zaloUrl: string,
  env: Record<string, string>,
): ChildHotline {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts'), role], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      ...zaloEnv(zaloUrl),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const onData = (d: Buffer) => output.push(String(d));
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return {
    child,
    output,
    waitFor: (text, ms = 30000) =>
      new Promise((resolve, reject) => {
        const end = Date.now() + ms;
        const tick = () => {
          if (output.join('').includes(text)) return resolve();
          if (child.exitCode !== null)
            return reject(new Error(`hotline exited (${child.exitCode}): ${output.join('').slice(-800)}`));
          if (Date.now() > end) return reject(new Error(`no "${text}" in ${ms} ms: ${output.join('').slice(-800)}`));
          setTimeout(tick, 50);
        };
        tick();
      }),
    kill: (signal = 'SIGKILL') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
