import { sql, type SQL } from 'drizzle-orm';
import { tickets } from '../db/schema';
import { AT_HOTLINE, CLOSED } from '../tickets/statuses';

/**
 * "Still owed to the citizen", written with literal statuses rather than bound parameters: the
 * partial indexes of migration 0010 carry the same predicate, and the planner can only use them when
 * it sees these very constants (test/console-perf.test.ts checks the migration lists CLOSED exactly).
 */
const literals = (list: readonly string[]) => sql.raw(list.map((s) => `'${s}'`).join(', '));
export const CLOSED_SQL = literals(CLOSED);
/** Matches tickets_triage_idx. */
export const AT_HOTLINE_SQL = literals(AT_HOTLINE);

export const isOpen = (): SQL => sql`${tickets.status} not in (${CLOSED_SQL})`;

/** For hand-written SQL over `tickets` (unqualified or with an alias). */
export const openWhere = (alias?: string): SQL =>
  sql`${sql.raw(alias ? `${alias}.status` : 'status')} not in (${CLOSED_SQL})`;

/** The deadline order key: tickets with no deadline sort last (matches the 0010 indexes). */
export const deadlineKey = (): SQL => sql`coalesce(${tickets.answerDueAt}, 'infinity'::timestamptz)`;

/**
 * The answer deadline of an open ticket, null once closed: `openDue() < now` is "overdue". It is the
 * expression of tickets_open_due_idx, whose statistics tell the planner how few tickets that is.
 */
export const openDue = (alias?: string): SQL =>
  sql`(case when ${openWhere(alias)} then ${sql.raw(alias ? `${alias}.answer_due_at` : 'answer_due_at')} end)`;
