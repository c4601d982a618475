import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive, process-level lock on the embedded database folder. A stale lock left by a
 * killed process is taken over. Returns the release function.
 */
export function acquireDirLock(dir: string): () => void {
  const file = path.join(dir, '..', `${path.basename(dir)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (owner && owner !== process.pid && alive(owner)) {
        throw new AppError(
          'DB_EMBEDDED_IN_USE',
          `The embedded database in ${dir} is in use by process ${owner}. ` +
            'Only one process can open it: run web and worker together with `npm start`, or set DATABASE_URL to a PostgreSQL server.',
        );
      }
      fs.unlinkSync(file);
    }
  }
  throw new AppError('DB_EMBEDDED_IN_USE', `Could not lock the embedded database in ${dir}`);
}
