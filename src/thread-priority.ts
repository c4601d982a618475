import fs from 'node:fs';
import os from 'node:os';

/**
 * Lowers the scheduling priority of the calling thread only (Linux applies setpriority to a thread
 * id). The embedded workers' thread runs PGlite flat out while a backlog lasts; at the default
 * priority it took CPU from the web thread, whose one job is to answer Zalo within 2 s. Background
 * work yields, intake does not. Elsewhere (no /proc/thread-self) it does nothing.
 */
export function lowerThreadPriority(niceness: number): boolean {
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    os.setPriority(tid, niceness);
    return true;
  } catch {
    return false;
  }
}
