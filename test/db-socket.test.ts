import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, openSharedDatabase, type Database } from '../src/db/client';
import { socketPath } from '../src/db/pglite-socket';

/** Both drivers answer execute() with { rows }; the shared Db type leaves it unknown. */
const rowsOf = async (q: Promise<unknown>) => ((await q) as { rows: unknown[] }).rows;

/** The embedded database served on a unix socket to other processes (here: another open in this one). */
describe('embedded PGlite shared over its socket', () => {
  let dataDir: string;
  let owner: Database;
  const pgliteDir = () => path.join(dataDir, 'pglite');

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-sock-'));
    owner = await openDatabase({ pgliteDir: pgliteDir(), serve: true });
    await owner.db.execute(sql`create table probe (id serial primary key, v text not null)`);
  });
  afterAll(async () => {
    await owner.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a second opener goes through the socket while the owner lives, and sees the same data', async () => {
    expect(fs.existsSync(socketPath(pgliteDir()))).toBe(true);
    const other = await openSharedDatabase({ pgliteDir: pgliteDir() });
    try {
      expect(other.kind).toBe('postgres');
      await other.db.execute(sql`insert into probe (v) values ('from the socket')`);
      expect(await rowsOf(owner.db.execute(sql`select v from probe`))).toEqual([{ v: 'from the socket' }]);
    } finally {
      await other.close();
    }
  });

  it("a socket client's transaction is not interleaved with the owner's queries", async () => {
    const other = await openSharedDatabase({ pgliteDir: pgliteDir() });
    try {
      let ownerSaw: unknown;
      await other.db.transaction(async (tx) => {
        await tx.execute(sql`insert into probe (v) values ('in a transaction')`);
        // The owner's read waits for the commit instead of running inside the client's transaction.
        void rowsOf(owner.db.execute(sql`select count(*)::int as n from probe`)).then((r) => (ownerSaw = r[0]));
        await new Promise((r) => setTimeout(r, 50));
        expect(ownerSaw).toBeUndefined();
        await tx.execute(sql`insert into probe (v) values ('second')`);
      });
      await owner.ping();
      expect(ownerSaw).toEqual({ n: 3 });
    } finally {
      await other.close();
    }
  });

  it('a client that disconnects mid-transaction leaves nothing open', async () => {
    const other = await openSharedDatabase({ pgliteDir: pgliteDir() });
    await other.db.execute(sql`begin`);
    await other.db.execute(sql`insert into probe (v) values ('abandoned')`);
    await other.close();
    const rows = await rowsOf(owner.db.execute(sql`select count(*)::int as n from probe where v = 'abandoned'`));
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('errors reach the client and the session stays usable', async () => {
    const other = await openSharedDatabase({ pgliteDir: pgliteDir() });
    try {
      await expect(other.db.execute(sql`select nope`)).rejects.toThrow(/nope/);
      expect(await rowsOf(other.db.execute(sql`select 1 as one`))).toEqual([{ one: 1 }]);
    } finally {
      await other.close();
    }
  });

  it('with nobody holding it, the opener opens PGlite itself', async () => {
    const dir = path.join(dataDir, 'alone');
    const db = await openSharedDatabase({ pgliteDir: dir });
    try {
      expect(db.kind).toBe('pglite');
    } finally {
      await db.close();
    }
  });
});
