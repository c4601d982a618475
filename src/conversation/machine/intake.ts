import { attachmentsNoun, CONFIRM_BUTTONS, CONTACT_NOTICE, YES_NO_BUTTONS, vi } from '../catalogue';
import { attachmentTypes, confirmedUnderstanding, draftText, summaryContent } from './content';
import { firstIntent } from '../first-intent';
import { cleared, menu, reply, say, step, type Ctx } from './helpers';
import type { Draft, DraftPart, Effect, Input, State, StateData, Step } from './types';

/**
 * Intake: parts are collected into one draft; a burst timer (rescheduled by every addition) decides
 * what is still missing once the citizen pauses, and shows the summary; a ticket only on confirmation.
 */
type EventIn = Extract<Input, { type: 'text' | 'attachments' | 'location' }>;

const MAX_COMMUNE_ASKS = 2;

export function newDraft(mode: Draft['mode'], pin?: Draft['pin']): Draft {
  return { rev: 0, mode, parts: [], attachments: [], pin: pin ?? null, communeAsks: 0 };
}

/** Adds what the event carries to the draft (in the order written) and bumps its revision. */
export function withInput(draft: Draft, input: EventIn): Draft {
  const next: Draft = { ...draft, rev: draft.rev + 1 };
  if (input.type === 'text') {
    const part: DraftPart = { eventId: input.eventId, ts: input.ts, text: input.text };
    next.parts = [...draft.parts, part].sort((a, b) => a.ts - b.ts || a.eventId - b.eventId);
  } else if (input.type === 'attachments') {
    next.attachments = [...draft.attachments, { eventId: input.eventId, attachments: input.attachments }];
  } else next.pin = input.pin ?? draft.pin;
  return next;
}

/** Words from which a text reads as a whole complaint rather than an opening ("alo", "cho hỏi"). */
const COMPLETE_WORDS = 8;

/**
 * Every addition waits for the burst to end; the timer's revision says which addition it was for.
 * A text that completes a complaint gets the short wait: answering a whole message at once matters
 * more than saving a second summary when the citizen adds something afterwards.
 */
export function collect(state: State, data: StateData, draft: Draft, input: EventIn): Step {
  const next = withInput(draft, input);
  const nextState: State = state === 'intake_confirming' ? 'intake_confirming' : 'intake_collecting';
  const complete = input.type === 'text' && draftText(next).split(/\s+/).filter(Boolean).length >= COMPLETE_WORDS;
  return step(nextState, { ...data, draft: next }, [{ type: 'schedule_burst', rev: next.rev, complete }]);
}

/** The burst is over: ask for what is missing, or show the summary. */
export function burstEnd(state: State, data: StateData, input: Extract<Input, { type: 'burst_end' }>): Step {
  const draft = data.draft;
  const intake = state === 'intake_collecting' || state === 'intake_confirming';
  if (!intake || !draft || draft.rev !== input.rev || draft.summaryRev === input.rev)
    return step(state, data, [], false);
  // "cho hỏi" alone is an opening, not content: nothing to summarise yet.
  const text = summaryContent(draft);
  const understood = { ...draft, understanding: input.understanding ?? draft.understanding };
  if (!text) {
    // Nothing but small talk ending in thanks: the citizen is done, not starting a report.
    const last = draft.parts.at(-1)?.text;
    if (!draft.attachments.length && last && firstIntent(last) === 'thanks') {
      const rest = cleared(data);
      delete rest.draft;
      return step('idle', rest, [say(vi.thanks)]);
    }
    const asked = { ...data, draft: { ...understood, asked: 'content' as const } };
    // Only a greeting so far: greet with the menu, which also asks for the content.
    if (!draft.attachments.length && draft.mode === 'report' && !draft.asked)
      return step('intake_collecting', asked, [menu()]);
    const ask = draft.attachments.length
      ? vi.askContentAfterFiles(attachmentsNoun(draft.attachments.flatMap((a) => attachmentTypes(a.attachments))))
      : draft.mode === 'procedure'
        ? vi.askProcedure
        : vi.askContent;
    return step('intake_collecting', asked, [say(ask)]);
  }
  const d = input.understanding?.decision;
  if (d?.needsCommune && !d.commune && draft.communeAsks < MAX_COMMUNE_ASKS) {
    const ask = draft.communeAsks ? vi.askCommuneAgain : vi.askCommune;
    const asked: Draft = { ...understood, asked: 'commune', communeAsks: draft.communeAsks + 1 };
    return step('intake_collecting', { ...data, draft: asked }, [say(ask)]);
  }
  const effects: Effect[] = [];
  if (input.understanding?.classification.kind === 'khieu_nai_to_cao') effects.push(say(vi.complaintChannel));
  effects.push(reply({ summary: true }));
  const shown: Draft = { ...understood, asked: undefined, summaryRev: draft.rev };
  return step('intake_confirming', { ...data, draft: shown }, effects);
}

/** Confirmed: the ticket opens, the code goes back, and contact is offered once (never pressed). */
export function confirm(data: StateData, ctx: Ctx): Step {
  const draft = data.draft!;
  const u = confirmedUnderstanding(draft);
  const question = (u?.classification.kind ?? (draft.mode === 'procedure' ? 'hoi_dap' : '')) === 'hoi_dap';
  const effects: Effect[] = [
    {
      type: 'create_ticket',
      reason: 'intake',
      text: draftText(draft),
      understanding: u,
      attachments: draft.attachments,
    },
    say(vi.acknowledged('{code}', question)),
  ];
  if (question) effects.push(say(vi.procedurePointer));
  const rest = cleared({ ...data, draft: undefined });
  delete rest.draft;
  if (ctx.facts.consent === null) {
    effects.push(say(CONTACT_NOTICE.text, YES_NO_BUTTONS));
    return step('consent_pending', { ...rest, ticket: { id: 0, code: '{code}' } }, effects);
  }
  return step('idle', rest, effects);
}

export function cancel(data: StateData): Step {
  const rest = cleared(data);
  delete rest.draft;
  return step('idle', rest, [say(vi.cancelled)]);
}

/** "Sửa": the text is written again; files and the pin stay. */
export function edit(data: StateData): Step {
  const draft = data.draft!;
  const fresh: Draft = { ...draft, rev: draft.rev + 1, parts: [], summaryRev: undefined, asked: 'content' };
  return step('intake_collecting', { ...data, draft: fresh }, [say(vi.askRewrite)]);
}

export function confirmHint(data: StateData): Step {
  return step('intake_confirming', data, [say(vi.confirmHint, CONFIRM_BUTTONS)]);
}

/** The intake state a draft was in: summarised at its current revision, or still being written. */
export const draftState = (draft: Draft): State =>
  draft.summaryRev === draft.rev ? 'intake_confirming' : 'intake_collecting';

/**
 * Back to the report being written once a question about another ticket is answered (a unit asked
 * for information in the middle of an intake): the summary again, or the burst timer, which asks
 * for what is still missing. Without a draft, idle.
 */
export function resumeDraft(data: StateData, effects: Effect[]): Step {
  const draft = data.draft;
  if (!draft) return step('idle', data, effects);
  const state = draftState(draft);
  if (state === 'intake_confirming')
    return step(state, data, [...effects, say(vi.draftResumed), reply({ summary: true })]);
  return step(state, data, [...effects, { type: 'schedule_burst', rev: draft.rev, complete: true }]);
}
