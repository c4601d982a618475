// One Drizzle statement on PGlite: PGlite's own query() against the client the hotline gives Drizzle
// (src/db/pglite-wire-query.ts), alternating in the same run. `npm run bench:pglite -- --rounds=3 --n=2000`
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { wireQueryClient } from '../src/db/pglite-wire-query';
import { machineLine, numberOption, table, Verdicts } from './lib/report';

const ROUNDS = numberOption('rounds', 3);
const N = numberOption('n', 2000);

async function main(): Promise<void> {
  const client = new PGlite();
  await client.waitReady;
  await client.exec(`create table b (id serial primary key, at timestamptz default now(), j jsonb, big bigint,
    stamps timestamptz[] default array[now()], k text unique)`);
  const targets = { 'PGlite query()': drizzle(client), 'one call (hotline)': drizzle(wireQueryClient(client)) };
  const times: Record<string, number[]> = { 'PGlite query()': [], 'one call (hotline)': [] };
  let seq = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, db] of Object.entries(targets)) {
      const t0 = performance.now();
      for (let i = 0; i < N; i++) {
        const k = `k${seq++}`;
        await db.execute(
          sql`insert into b (j, big, k) values (${JSON.stringify({ i, s: 'Việt' })}, ${i}, ${k}) returning *`,
        );
      }
      times[name]!.push(((performance.now() - t0) / N) * 1000);
    }
  }
  await client.close();
  const best = (name: string) => Math.min(...times[name]!);
  console.log(`\n== bench:pglite — one Drizzle insert … returning * on in-memory PGlite, µs per statement ==`);
  console.log(machineLine());
  console.log(
    table(
      ['client', ...times['PGlite query()']!.map((_, i) => `round ${i + 1}`), 'best'],
      Object.entries(times).map(([name, t]) => [name, ...t.map((v) => v.toFixed(0)), best(name).toFixed(0)]),
    ),
  );
  const ratio = best('one call (hotline)') / best('PGlite query()');
  console.log(`\nratio one call / PGlite query() (best rounds) = ${ratio.toFixed(2)}\n`);
  const verdicts = new Verdicts();
  verdicts.check('one call is not slower than PGlite query()', ratio <= 1, ratio.toFixed(2));
  verdicts.print();
  process.exitCode = verdicts.failed ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
