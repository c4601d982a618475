import { attachmentsNoun, MENU, vi } from '../catalogue';
import { attachmentTypes } from './content';
import { ownTicket } from './tracking';
import { cleared, say, step, type Ctx } from './helpers';
import type { Effect, Input, State, StateData, Step } from './types';

/** Per-user rate limit, kept in the conversation row (locked for the step, so counts never race). */
export type SpamVerdict = { kind: 'ok'; data: StateData } | { kind: 'muted' } | { kind: 'mute_now'; data: StateData };

const MINUTE = 60_000;

export function spamCheck(data: StateData, ctx: Ctx): SpamVerdict {
  const r = data.rate ?? { windowStart: ctx.now, count: 0 };
  if (r.mutedUntil && ctx.now < r.mutedUntil) return { kind: 'muted' };
  const fresh = ctx.now - r.windowStart >= MINUTE || r.mutedUntil !== undefined;
  const next = fresh ? { windowStart: ctx.now, count: 1 } : { windowStart: r.windowStart, count: r.count + 1 };
  if (next.count > ctx.settings.spamMaxPerMinute) {
    const mutedUntil = ctx.now + ctx.settings.spamMuteMinutes * MINUTE;
    // The draft written during the flood is dropped: it would become a ticket of noise.
    const rest = cleared(data);
    delete rest.draft;
    return { kind: 'mute_now', data: { ...rest, rate: { ...next, mutedUntil } } };
  }
  return { kind: 'ok', data: { ...data, rate: next } };
}

export function muteNow(data: StateData): Step {
  return step('idle', data, [say(vi.spam)]);
}

const CONFUSED_AFTER = 3;

/** An answer the pending question cannot use: ask again, and after three in a row fetch a person. */
export function unrecognised(state: State, data: StateData, again: Effect): Step {
  const count = (data.unrecognised ?? 0) + 1;
  if (count >= CONFUSED_AFTER) return handoff(data, 'confused');
  return step(state, { ...data, unrecognised: count }, [again]);
}

export function handoff(data: StateData, reason: string): Step {
  return step('handoff', { ...cleared(data), ...(data.draft ? { draft: data.draft } : {}) }, [
    { type: 'handoff', reason },
    say(vi.handoff),
  ]);
}

export const notUnderstood = (): Effect => say(vi.notUnderstood, [...MENU]);

/** Files of one burst get one acknowledgement: those sent within this time of it get none. */
const HELD_FILES_QUIET_MS = 60_000;

/**
 * A file or image while an operator holds the conversation: it joins the ticket the conversation is
 * about (or the citizen's latest open one), and the citizen learns once per burst that the operator
 * will see it. Without an open ticket it stays recorded with the conversation.
 */
export function heldFiles(data: StateData, input: Extract<Input, { type: 'attachments' }>, ctx: Ctx): Step {
  const ref = data.ticket && ownTicket(ctx, data.ticket.code, true) ? data.ticket : ownTicket(ctx, undefined, true);
  const effects: Effect[] = ref
    ? [{ type: 'add_to_ticket', ticketId: ref.id, eventId: input.eventId, attachments: input.attachments }]
    : [];
  const last = data.heldFilesAckAt ?? 0;
  if (input.stale || ctx.now - last < HELD_FILES_QUIET_MS) return step('handoff', data, effects);
  const noun = attachmentsNoun(attachmentTypes(input.attachments));
  effects.push(say(vi.attachmentForOperator(noun, ref?.code)));
  return step('handoff', { ...data, heldFilesAckAt: ctx.now }, effects);
}
