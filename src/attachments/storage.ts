import fs from 'node:fs';
import path from 'node:path';

/**
 * Content-addressed storage under DATA_DIR/uploads: a file's name is its SHA-256, in a folder per
 * month it was first stored. Paths kept in the database are relative to DATA_DIR, so the data
 * directory can move.
 */
export const UPLOADS = 'uploads';

export const tmpDirOf = (dataDir: string) => path.join(dataDir, UPLOADS, 'tmp');

export function storagePathFor(sha256: string, at: Date): string {
  const yyyy = String(at.getUTCFullYear());
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  return path.posix.join(UPLOADS, yyyy, mm, sha256);
}

/** Absolute path of a stored file; refuses anything that would leave the uploads folder. */
export function absolutePath(dataDir: string, storagePath: string): string {
  const root = path.resolve(dataDir, UPLOADS);
  const abs = path.resolve(dataDir, storagePath);
  if (!abs.startsWith(root + path.sep)) throw new Error(`storage path outside uploads: ${storagePath}`);
  return abs;
}

export async function exists(dataDir: string, storagePath: string): Promise<boolean> {
  try {
    await fs.promises.access(absolutePath(dataDir, storagePath));
    return true;
  } catch {
    return false;
  }
}

/**
 * Moves a downloaded temporary file to its place. When `existing` (a stored file with the same
 * hash) is still there, the temporary file is dropped and the existing path returned.
 */
export async function putFile(
  dataDir: string,
  tmpPath: string,
  sha256: string,
  at: Date,
  existing?: string | null,
): Promise<string> {
  if (existing && (await exists(dataDir, existing))) {
    await fs.promises.rm(tmpPath, { force: true });
    return existing;
  }
  const rel = storagePathFor(sha256, at);
  const abs = absolutePath(dataDir, rel);
  await fs.promises.mkdir(path.dirname(abs), { recursive: true });
  // Same name = same bytes: a concurrent or repeated store of the same content lands on one file.
  await fs.promises.rename(tmpPath, abs);
  return rel;
}
