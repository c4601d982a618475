import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { AppError } from '../errors';
import { log } from '../log';

/**
 * Serves the process's embedded PGlite over the Postgres wire protocol on a unix socket, so other
 * processes (a CLI while the hotline runs, the web thread in split mode) reach the same database
 * with node-postgres.
 *
 * Why not @electric-sql/pglite-socket: its 0.2.17 pins pglite 0.5.14 as a peer (ours is 0.5.16), and
 * its queue takes only PGlite's query mutex per message, so a socket client's BEGIN…COMMIT or
 * Parse/Bind/Execute/Sync run could interleave with this process's own queries on the one backend
 * session. Here a client holds PGlite's transaction mutex — the one every in-process query and
 * transaction takes — from its first message until the backend is idle again (ReadyForQuery 'I').
 */

/** node-postgres reaches a unix socket as host=<dir>, port=<n>, i.e. <dir>/.s.PGSQL.<n>. */
export const SOCKET_PORT = 5432;
export const socketDir = (pgliteDir: string) => `${pgliteDir}-socket`;
export const socketPath = (pgliteDir: string) => path.join(socketDir(pgliteDir), `.s.PGSQL.${SOCKET_PORT}`);
/** A client that stops mid-transaction must not hold the hotline's database for ever. */
const HOLD_IDLE_MS = 30_000;
const MAX_SUN_PATH = 104;

type Release = () => void;
type Exclusive = Pick<PGlite, '_runExclusiveTransaction' | '_runExclusiveQuery' | 'execProtocolRawStream'>;

export interface PgliteSocketServer {
  path: string;
  close(): Promise<void>;
}

function acquire(db: Exclusive): Promise<Release> {
  return new Promise((acquired) => {
    void db._runExclusiveTransaction(() => new Promise<void>((release) => acquired(release)));
  });
}

/** Splits the byte stream into protocol messages; the startup-phase ones have no type byte. */
function takeMessage(buf: Buffer, started: boolean): { msg: Buffer; rest: Buffer } | undefined {
  if (!started) {
    if (buf.length < 4) return undefined;
    const len = buf.readInt32BE(0);
    if (len < 8) throw new AppError('DB_SOCKET', 'malformed startup message');
    return buf.length < len ? undefined : { msg: buf.subarray(0, len), rest: buf.subarray(len) };
  }
  if (buf.length < 5) return undefined;
  const len = 1 + buf.readInt32BE(1);
  return buf.length < len ? undefined : { msg: buf.subarray(0, len), rest: buf.subarray(len) };
}

const SSL_OR_GSS = new Set([80877103, 80877104]);
const CANCEL = 80877102;
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);
const ROLLBACK = Buffer.concat([Buffer.from([0x51, 0, 0, 0, 13]), Buffer.from('ROLLBACK\0')]);

function serveConnection(db: Exclusive, socket: net.Socket): void {
  let buffer: Buffer = Buffer.alloc(0);
  let held: Release | undefined;
  let idle: NodeJS.Timeout | undefined;
  let chain = Promise.resolve();
  let closed = false;

  const run = async (msg: Buffer): Promise<string | undefined> => {
    let tail: Buffer = Buffer.alloc(0);
    await db._runExclusiveQuery(() =>
      db.execProtocolRawStream(new Uint8Array(msg), {
        onRawData: (data) => {
          if (!closed && data.length) socket.write(Buffer.from(data));
          tail = Buffer.concat([tail, Buffer.from(data)]).subarray(-6);
        },
      }),
    );
    // ReadyForQuery ends every complete exchange: 'Z', length 5, status I (idle) | T | E (in a transaction).
    return tail.length === 6 && tail[0] === 0x5a && tail.readInt32BE(1) === 5
      ? String.fromCharCode(tail[5]!)
      : undefined;
  };

  /** True for the startup message, which PGlite answers; SSL/GSS and cancel requests are answered here. */
  const isStartup = (msg: Buffer): boolean => {
    const code = msg.readInt32BE(4);
    if (SSL_OR_GSS.has(code)) socket.write('N');
    else if (code === CANCEL) socket.end();
    else return true;
    return false;
  };

  /** `batch`: the typed messages of one read, run in one call (a client's Parse…Sync arrive together). */
  const handle = async (batch: Buffer): Promise<void> => {
    if (!held) held = await acquire(db);
    clearTimeout(idle);
    const status = await run(batch);
    if (status === 'I') {
      held();
      held = undefined;
    } else {
      idle = setTimeout(() => socket.destroy(), HOLD_IDLE_MS);
    }
  };

  /** Leaves the shared backend as it found it: no half-run extended query, no open transaction. */
  const cleanUp = async () => {
    clearTimeout(idle);
    if (!held) return;
    try {
      if ((await run(SYNC)) !== 'I') await run(ROLLBACK);
    } finally {
      held();
      held = undefined;
    }
  };

  let untyped = true;
  socket.on('data', (data) => {
    buffer = Buffer.concat([buffer, data]);
    const typed: Buffer[] = [];
    let terminate = false;
    try {
      for (let m = takeMessage(buffer, !untyped); m && !terminate; m = takeMessage(buffer, !untyped)) {
        const msg = m.msg;
        buffer = m.rest;
        if (untyped) {
          // Untyped messages come first: SSL/GSS requests, then the startup message (run on its own).
          if (!SSL_OR_GSS.has(msg.readInt32BE(4))) untyped = false;
          chain = chain.then(() => (closed || !isStartup(msg) ? undefined : handle(msg)));
        } else if (msg[0] === 0x58) {
          // Terminate: this client is done; the shared backend is not.
          terminate = true;
        } else {
          typed.push(msg);
        }
      }
    } catch {
      socket.destroy();
      return;
    }
    // One PGlite call per read instead of one per message: half the cost of a statement (benchmarks.md).
    if (typed.length) {
      const batch = Buffer.concat(typed);
      chain = chain.then(() => (closed ? undefined : handle(batch)));
    }
    if (terminate) chain = chain.then(() => void socket.end());
    chain = chain.catch((e: unknown) => {
      log.warn('pglite socket client failed', { error: e });
      socket.destroy();
    });
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    closed = true;
    chain = chain.then(cleanUp).catch((e: unknown) => log.warn('pglite socket clean-up failed', { error: e }));
  });
}

/** Starts serving; the socket file is readable by this user only (the files of PGlite are too). */
export async function servePglite(db: PGlite, pgliteDir: string): Promise<PgliteSocketServer> {
  const file = socketPath(pgliteDir);
  if (Buffer.byteLength(file) > MAX_SUN_PATH) {
    throw new AppError('DB_SOCKET', `The socket path ${file} is too long for a unix socket; use a shorter DATA_DIR.`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Only the lock holder serves, so a file here is left by a killed process.
  fs.rmSync(file, { force: true });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(db, socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => resolve());
  });
  fs.chmodSync(file, 0o600);
  return {
    path: file,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
