import type { Calendar } from './calendar';
import { defaultCalendar } from './calendar-data';
import { computeClocks, type Clocks, type TicketFacts } from './clocks';
import { loadSlaPolicy, type SlaPolicy } from './policy';

/**
 * The deadlines a new ticket starts with, from the province's policy and the working-day calendar.
 * The workers set the context at start (the configured province's policy, the database's calendar
 * overrides); until then the shipped Cần Thơ policy and holiday data apply.
 */
export interface SlaContext {
  policy: SlaPolicy;
  cal: Calendar;
}

let current: SlaContext | undefined;
const DEFAULT_PROVINCE = 'can-tho';

export function setSlaContext(ctx: SlaContext): void {
  current = ctx;
}

export function slaContext(): SlaContext {
  current ??= { policy: loadSlaPolicy(DEFAULT_PROVINCE), cal: defaultCalendar() };
  return current;
}

export function initialClocks(facts: TicketFacts, ctx = slaContext()): Clocks {
  return computeClocks(facts, ctx.policy, ctx.cal);
}

/** The two deadlines kept on the ticket row for lists and sorting (the clocks hold the detail). */
export function initialDeadlines(
  receivedAt: Date,
  category?: string | null,
  ctx = slaContext(),
): { forwardDueAt: Date; answerDueAt: Date } {
  const c = initialClocks({ receivedAt, category }, ctx);
  return { forwardDueAt: c.forward.dueAt!, answerDueAt: c.answer.dueAt! };
}
