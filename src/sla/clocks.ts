import { addCalendarDays, addWorkingDays, addWorkingMinutes, workingTimeBetween, type Calendar } from './calendar';
import { policyFor, type EffectivePolicy, type SlaPolicy } from './policy';
import { daysBetween, vnDate } from './vn-time';

/** The deadlines a ticket runs against (domain.md §2). */
export const CLOCK_KINDS = ['first_response', 'forward', 'answer', 'publish'] as const;
export type ClockKind = (typeof CLOCK_KINDS)[number];

export type Basis = { count: 'working' | 'calendar'; days: number } | { count: 'working_minutes'; minutes: number };

/** Time spent waiting for the citizen's information: the clock stands still. `to` absent = still waiting. */
export interface Pause {
  from: Date;
  to?: Date | null;
}

export interface ClockSpec {
  kind: ClockKind;
  startedAt: Date;
  basis: Basis;
  pauses?: readonly Pause[];
}

/**
 * When a clock falls due: its period from the start, lengthened by the time it stood paused, counted
 * in the clock's own unit (working days for a working-day clock, days for a calendar one). While a
 * pause is open there is no due time.
 */
export function clockDue(spec: ClockSpec, cal: Calendar): Date | null {
  const pauses = spec.pauses ?? [];
  if (pauses.some((p) => !p.to)) return null;
  const b = spec.basis;
  let extra = 0;
  for (const p of pauses) {
    const span = workingTimeBetween(p.from, p.to!, cal);
    extra +=
      b.count === 'working_minutes'
        ? span.minutes
        : b.count === 'working'
          ? span.days
          : daysBetween(vnDate(p.from), vnDate(p.to!));
  }
  if (b.count === 'working_minutes') return addWorkingMinutes(spec.startedAt, b.minutes + extra, cal);
  if (b.count === 'working') return addWorkingDays(spec.startedAt, b.days + extra, cal);
  return addCalendarDays(spec.startedAt, b.days + extra, cal);
}

/** What is known about a ticket that bears on its deadlines. */
export interface TicketFacts {
  receivedAt: Date;
  category?: string | null;
  /** When the unit now in charge got the ticket (a transfer restarts that unit's answer clock). */
  assignedAt?: Date | null;
  answeredAt?: Date | null;
  /** The last progress update sent to the citizen. */
  lastProgressUpdateAt?: Date | null;
  pauses?: readonly Pause[];
}

export interface ComputedClock extends ClockSpec {
  dueAt: Date | null;
}

export interface Clocks {
  policy: EffectivePolicy;
  firstResponse: ComputedClock;
  forward: ComputedClock;
  answer: ComputedClock;
  /** Only once there is an answer. */
  publish?: ComputedClock;
  /** Unresolved tickets get a progress update every N days (from receipt or the last update). */
  nextProgressUpdateAt: Date | null;
}

export function computeClocks(facts: TicketFacts, policy: SlaPolicy, cal: Calendar): Clocks {
  const eff = policyFor(policy, facts.category);
  const pauses = facts.pauses ?? [];
  const make = (kind: ClockKind, startedAt: Date, basis: Basis, paused: readonly Pause[] = []): ComputedClock => {
    const spec = { kind, startedAt, basis, pauses: paused };
    return { ...spec, dueAt: clockDue(spec, cal) };
  };
  const answer = eff.answer;
  const clocks: Clocks = {
    policy: eff,
    firstResponse: make('first_response', facts.receivedAt, {
      count: 'working_minutes',
      minutes: eff.firstResponse.workingMinutes,
    }),
    forward: make('forward', facts.receivedAt, { count: 'working', days: eff.forward.workingDays }, pauses),
    answer: make('answer', facts.assignedAt ?? facts.receivedAt, { count: answer.count, days: answer.days }, pauses),
    nextProgressUpdateAt: facts.answeredAt
      ? null
      : new Date((facts.lastProgressUpdateAt ?? facts.receivedAt).getTime() + eff.progressUpdateEveryDays * 86_400_000),
  };
  if (facts.answeredAt) {
    clocks.publish = make('publish', facts.answeredAt, { count: 'working', days: eff.publish.workingDays });
  }
  return clocks;
}

export const REMINDER_STAGES = ['warn', 'due', 'escalate'] as const;
export type ReminderStage = (typeof REMINDER_STAGES)[number];

/**
 * When each reminder of a clock fires: a warning after the configured share of its working time,
 * a notice at the due time, an escalation a number of working days later.
 */
export function reminderTimes(
  startedAt: Date,
  dueAt: Date,
  eff: Pick<EffectivePolicy, 'warnAtFraction' | 'escalateAfterWorkingDays'>,
  cal: Calendar,
): Record<ReminderStage, Date> {
  const total = Math.max(0, workingTimeBetween(startedAt, dueAt, cal).minutes);
  return {
    warn: addWorkingMinutes(startedAt, Math.floor(total * eff.warnAtFraction), cal),
    due: dueAt,
    escalate: addWorkingDays(dueAt, eff.escalateAfterWorkingDays, cal),
  };
}
