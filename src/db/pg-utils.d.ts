// node-postgres's own value preparation (untyped in @types/pg): see pglite-wire-query.ts.
declare module 'pg/lib/utils' {
  export function prepareValue(value: unknown): string | Buffer | null;
}
