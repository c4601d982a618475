import type { PGlite, QueryOptions, Results, Transaction } from '@electric-sql/pglite';
import { serialize } from 'pg-protocol';
import { prepareValue } from 'pg/lib/utils';

type Parser = (value: string, typeId: number) => unknown;
type Message = { name: string; fields?: unknown[]; text?: string };
type Field = { name: string; dataTypeID: number };
const ROW_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY']);

/**
 * The client Drizzle is given over PGlite. PGlite's own `query()` sends Parse, Describe, Bind,
 * Describe, Execute and Sync as six calls into the database, and copies its table of ~300 type
 * parsers for every query Drizzle runs (Drizzle passes parsers of its own). Here a statement is one
 * call carrying Parse/Bind/Describe/Execute/Sync, as node-postgres sends it, with parameters
 * prepared by node-postgres's own code, so a value means the same on both drivers; the rows are
 * parsed by PGlite's parsers with Drizzle's overrides, as before. Measured: ~2× fewer microseconds
 * per statement (docs/benchmarks.md, 2026-12-07 night).
 */
export function wireQueryClient(client: PGlite): PGlite {
  // Outside a transaction a statement takes the transaction mutex too, as PGlite's query() does: a
  // socket client's BEGIN…COMMIT (pglite-socket.ts) holds it, and nothing may run inside that.
  const query = ((sql: string, params?: unknown[], options?: QueryOptions) =>
    client._runExclusiveTransaction(() => runStatement(client, sql, params, options, true))) as PGlite['query'];
  const transaction: PGlite['transaction'] = (callback) =>
    client.transaction((tx) => {
      const txQuery = ((sql: string, params?: unknown[], options?: QueryOptions) => {
        if (tx.closed) throw new Error('Transaction is closed');
        return runStatement(client, sql, params, options, false);
      }) as Transaction['query'];
      // Object.create keeps the transaction's `closed` getter and its other methods.
      return callback(Object.create(tx, { query: { value: txQuery } }) as Transaction);
    });
  return new Proxy(client, {
    get(target, key) {
      if (key === 'query') return query;
      if (key === 'transaction') return transaction;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function runStatement(
  client: PGlite,
  sql: string,
  params: unknown[] = [],
  options: QueryOptions | undefined,
  syncToFs: boolean,
): Promise<Results> {
  const message = Buffer.concat([
    serialize.parse({ text: sql }),
    serialize.bind({ values: params.map((p) => prepareValue(p)) }),
    serialize.describe({ type: 'P' }),
    serialize.execute({}),
    serialize.sync(),
  ]);
  const { messages } = await client._runExclusiveQuery(() =>
    client.execProtocol(new Uint8Array(message.buffer, message.byteOffset, message.byteLength), { syncToFs }),
  );
  return toResults(messages as Message[], client.parsers as Record<number, Parser>, options);
}

function toResults(messages: Message[], defaults: Record<number, Parser>, options: QueryOptions | undefined): Results {
  const overrides = (options?.parsers ?? {}) as Record<number, Parser>;
  const asArray = options?.rowMode === 'array';
  let fields: Field[] = [];
  let parsers: Array<Parser | undefined> = [];
  const rows: unknown[] = [];
  let affectedRows = 0;
  for (const m of messages) {
    if (m.name === 'rowDescription') {
      fields = (m.fields as Field[]).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID }));
      parsers = fields.map((f) => overrides[f.dataTypeID] ?? defaults[f.dataTypeID]);
    } else if (m.name === 'dataRow') {
      const values = (m.fields as Array<string | null>).map((v, i) =>
        v === null ? null : parsers[i] ? parsers[i]!(v, fields[i]!.dataTypeID) : v,
      );
      rows.push(asArray ? values : Object.fromEntries(values.map((v, i) => [fields[i]!.name, v])));
    } else if (m.name === 'commandComplete') {
      // "INSERT 0 2", "UPDATE 3": the count ends the tag of the commands that change rows.
      const words = m.text!.split(' ');
      if (ROW_COMMANDS.has(words[0]!)) affectedRows += Number(words.at(-1)) || 0;
    }
  }
  return { rows, fields, affectedRows } as Results;
}
