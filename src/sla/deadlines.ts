import type { Calendar } from './calendar';
import { defaultCalendar } from './calendar-data';
import { computeClocks, type Clocks, type TicketFacts } from './clocks';
import { loadSlaPolicy, type SlaPolicy } from './policy';

/**
 * The deadlines a new ticket starts with, from the province's policy and the working-day calendar.
 * The workers set the context at start (with the database's calendar overrides); until then the
 * shipped data applies.
 */
export interface SlaContext {
  policy: SlaPolicy;
  cal: Calendar;
}

let current: SlaContext | undefined;

export function setSlaContext(ctx: SlaContext): void {
  current = ctx;
}

export function slaContext(): SlaContext {
  current ??= { policy: loadSlaPolicy(process.env.PROVINCE_CODE?.trim() || 'can-tho'), cal: defaultCalendar() };
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
