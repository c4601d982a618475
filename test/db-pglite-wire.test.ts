import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { isUniqueViolation } from '../src/db/errors';
import { wireQueryClient } from '../src/db/pglite-wire-query';

/*
 * The PGlite client Drizzle is given sends each statement as one Parse/Bind/Describe/Execute/Sync
 * call: every row, error and transaction must come out as through PGlite's own query().
 */
describe('PGlite wire-query client', () => {
  let client: PGlite;
  beforeAll(async () => {
    client = new PGlite();
    await client.waitReady;
    await client.exec(`create table w (
      id serial primary key, at timestamptz, d date, iv interval, stamps timestamptz[], j jsonb,
      b boolean, n numeric, big bigint, tags text[], k text unique, nothing text)`);
  });
  afterAll(() => client.close());

  const insert = (db: ReturnType<typeof drizzle>, k: string) =>
    db.execute(sql`insert into w (at, d, iv, stamps, j, b, n, big, tags, k)
      values (${new Date('2026-12-07T01:02:03.456Z')}, ${'2026-12-07'}, ${'1 day 02:00'},
        array[${'2026-12-07T01:02:03Z'}::timestamptz], ${JSON.stringify({ s: 'Việt Nam', n: [1, 2] })},
        ${true}, ${'1.50'}, ${2n ** 40n}, ${sql.param(['một', 'hai "ba"'])}, ${k})
      returning *`);

  test('rows, types and Vietnamese text read the same as through PGlite itself', async () => {
    const plain = drizzle(client);
    const wire = drizzle(wireQueryClient(client));
    const a = (await insert(plain, 'a')).rows[0]!;
    const b = (await insert(wire, 'b')).rows[0]!;
    expect({ ...b, id: a.id, k: 'a' }).toEqual(a);
    expect(b).toMatchObject({ j: { s: 'Việt Nam', n: [1, 2] }, b: true, big: 2 ** 40, nothing: null });
    expect(typeof b.at).toBe('string');
    expect(new Date(b.at as string).toISOString()).toBe('2026-12-07T01:02:03.456Z');
    // The query builder (array rows) maps the same values as the raw path.
    const viaBuilder = await wire.transaction((tx) => tx.execute(sql`select k, tags from w where k = ${'b'}`));
    expect(viaBuilder.rows).toEqual([{ k: 'b', tags: ['một', 'hai "ba"'] }]);
  });

  test('a unique violation keeps its SQLSTATE and the session stays usable', async () => {
    const wire = drizzle(wireQueryClient(client));
    await insert(wire, 'dup');
    const err = await insert(wire, 'dup').catch((e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    const rows = await wire.execute(sql`select count(*)::int as n from w where k = ${'dup'}`);
    expect(rows.rows).toEqual([{ n: 1 }]);
  });

  test('a failed transaction rolls back; a finished one refuses further statements', async () => {
    const wire = drizzle(wireQueryClient(client));
    await expect(
      wire.transaction(async (tx) => {
        await insert(tx as never, 'rolled-back');
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect((await wire.execute(sql`select count(*)::int as n from w where k = ${'rolled-back'}`)).rows).toEqual([
      { n: 0 },
    ]);
    let escaped: { execute: (q: ReturnType<typeof sql>) => Promise<unknown> } | undefined;
    await wire.transaction(async (tx) => {
      escaped = tx;
    });
    await expect(escaped!.execute(sql`select 1`)).rejects.toThrow();
  });
});
