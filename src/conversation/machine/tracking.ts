import { isOpenStatus } from '../../tickets/statuses';
import { citizenStatus, vi } from '../catalogue';
import { cleared, reply, say, step, type Ctx } from './helpers';
import { resumeDraft } from './intake';
import type { State, StateData, Step, TicketFact } from './types';

/** Lookup, additions and withdrawal: only ever of the citizen's own tickets. */
export const isOpen = (t: TicketFact) => isOpenStatus(t.status);

/** The citizen's ticket with that code, or their latest open one; someone else's code finds nothing. */
export function ownTicket(ctx: Ctx, code: string | undefined, open = false): TicketFact | undefined {
  const mine = ctx.facts.tickets.filter((t) => !open || isOpen(t));
  return code ? mine.find((t) => t.code === code) : mine[0];
}

export function lookup(state: State, data: StateData, ctx: Ctx, code?: string): Step {
  if (code) {
    const t = ownTicket(ctx, code);
    // Someone else's code gets the same answer as an unknown one: no details, not even that it exists.
    if (!t) return step(state, data, [say(vi.lookupNotFound(code))]);
    return step(state, data, [reply({ status: t.id, buttons: isOpen(t) })]);
  }
  const open = ctx.facts.tickets.filter(isOpen);
  const recent = open.length ? open : ctx.facts.tickets;
  if (!recent.length) return step(state, data, [say(vi.lookupNone)]);
  if (recent.length === 1) return step(state, data, [reply({ status: recent[0]!.id, buttons: isOpen(recent[0]!) })]);
  const lines = recent.slice(0, 5).map((t) => `• ${t.code}: ${citizenStatus(t.status)}`);
  return step(state, data, [say(vi.lookupList(lines))]);
}

export function askAddInfo(data: StateData, ctx: Ctx, code?: string): Step {
  const t = ownTicket(ctx, code, true);
  if (!t) return resumeDraft(cleared(data), [say(code ? vi.lookupNotFound(code) : vi.noOpenTicket)]);
  return step('adding_info', { ...cleared(data), ticket: { id: t.id, code: t.code } }, [say(vi.addInfoAsk(t.code))]);
}

export function askWithdraw(data: StateData, ctx: Ctx, code?: string): Step {
  const t = ownTicket(ctx, code, true);
  if (!t) return resumeDraft(cleared(data), [say(code ? vi.lookupNotFound(code) : vi.noOpenTicket)]);
  return step('withdraw_confirming', { ...cleared(data), ticket: { id: t.id, code: t.code } }, [
    say(vi.withdrawAsk(t.code)),
  ]);
}
