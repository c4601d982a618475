import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from './config/env';
import { errorMessage } from './errors';
import { startHotline, type Hotline } from './hotline';
import { lowerThreadPriority } from './thread-priority';
import { useSequentialConnects } from './net-defaults';

useSequentialConnects();

/** Entry of the embedded workers' thread (see embedded-workers.ts): the database and the workers. */
const { config, prefix } = workerData as { config: Config; prefix: string };
const port = parentPort!;

async function main(): Promise<void> {
  lowerThreadPriority(10);
  let hotline: Hotline;
  try {
    hotline = await startHotline(config, { role: 'worker', prefix });
  } catch (e) {
    port.postMessage({ type: 'failed', error: errorMessage(e) });
    return;
  }
  port.on('message', async (m: { id: number; type: string }) => {
    try {
      let value: unknown;
      if (m.type === 'ping') await hotline.database!.ping();
      else if (m.type === 'token-status') value = await hotline.tokens!.status();
      else if (m.type === 'stop') await hotline.stop();
      port.postMessage({ id: m.id, ok: true, value });
    } catch (e) {
      port.postMessage({ id: m.id, ok: false, error: errorMessage(e) });
    }
  });
  port.postMessage({ type: 'ready' });
}

void main();
