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

const lockFile = (dir: string) => path.join(dir, '..', `${path.basename(dir)}.lock`);

/** The live process holding the embedded database, if any (this process included). */
export function lockOwner(dir: string): number | undefined {
  try {
    const owner = Number(fs.readFileSync(lockFile(dir), 'utf8'));
    return owner && alive(owner) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes an exclusive, process-level lock on the embedded database folder. A stale lock left by a
 * killed process is taken over. Returns the release function.
 */
export function acquireDirLock(dir: string): () => void {
  const file = lockFile(dir);
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
      if (owner && alive(owner)) {
        throw new AppError(
          'DB_EMBEDDED_IN_USE',
          `The embedded database in ${dir} is in use by process ${owner}. ` +
            'Only one process can open it: run web and worker together with `npm start`, or set DATABASE_URL to a PostgreSQL server ' +
            '(command-line tools reach it through the socket the hotline serves).',
        );
      }
      fs.unlinkSync(file);
    }
  }
  throw new AppError('DB_EMBEDDED_IN_USE', `Could not lock the embedded database in ${dir}`);
}
