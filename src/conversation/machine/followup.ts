import { vi } from '../catalogue';
import { cleared, DAY_MS, say, step, type Ctx } from './helpers';
import { resumeDraft } from './intake';
import type { StateData, Step } from './types';

/** After an answer: a rating 1–5, an optional comment, or "chưa được giải quyết" to reopen. */
export function rate(data: StateData, ctx: Ctx, rating: number, code?: string): Step {
  const t = code ? ctx.facts.tickets.find((x) => x.code === code) : data.ticket;
  if (!t) return resumeDraft(cleared(data), [say(vi.lookupNotFound(code ?? ''))]);
  return step('rating_comment', { ...cleared(data), ticket: { id: t.id, code: t.code } }, [
    { type: 'rate', ticketId: t.id, rating },
    say(vi.askComment),
  ]);
}

export function comment(data: StateData, eventId: number, text: string): Step {
  const t = data.ticket!;
  return resumeDraft(cleared(data), [{ type: 'rate_comment', ticketId: t.id, eventId, text }, say(vi.ratingThanks)]);
}

/** Reopens the named ticket, or the one answered last, within the configured period after its answer. */
export function reopen(data: StateData, ctx: Ctx, code?: string): Step {
  const answered = ctx.facts.tickets.filter((t) => t.answeredAt !== null);
  const t = code
    ? answered.find((x) => x.code === code)
    : (answered.find((x) => x.id === data.ticket?.id) ?? answered[0]);
  if (!t) return resumeDraft(cleared(data), [say(vi.reopenNone)]);
  if (ctx.now - t.answeredAt! > ctx.settings.reopenDays * DAY_MS)
    return resumeDraft(cleared(data), [say(vi.reopenTooLate(t.code, ctx.settings.reopenDays))]);
  return resumeDraft(cleared(data), [{ type: 'reopen_ticket', ticketId: t.id }, say(vi.reopened(t.code))]);
}
