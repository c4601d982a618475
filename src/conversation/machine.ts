import { attachmentsNoun, CONTACT_NOTICE, ratingButtons, vi, YES_NO_BUTTONS } from './catalogue';
import { parseCommand } from './parse/commands';
import { findVnMobile, parseVnMobile } from './parse/phone';
import { parseRating } from './parse/rating';
import { parseYesNo } from './parse/yes-no';
import { pinOf } from '../understand/understand';
import { attachmentTypes, isFiller } from './machine/content';
import { firstIntent } from './first-intent';
import { folded } from './parse/words';
import { askDeletion, consentAnswer, deletionAnswer, phoneGiven } from './machine/consent';
import { comment, rate, reopen } from './machine/followup';
import { handoff, heldFiles, muteNow, notUnderstood, spamCheck, unrecognised } from './machine/guards';
import { cleared, menu, say, step, type Ctx } from './machine/helpers';
import {
  burstEnd,
  cancel,
  collect,
  confirm,
  confirmHint,
  draftState,
  edit,
  newDraft,
  resumeDraft,
} from './machine/intake';
import { askAddInfo, askWithdraw, lookup } from './machine/tracking';
import type { Draft, Effect, Input, State, StateData, Step } from './machine/types';

export type * from './machine/types';

/**
 * The citizen's dialogue as a pure function: (state, data, input, context) → next state, data and
 * effects. Nothing here touches the database, a queue or the clock: apply-effects.ts does, in the
 * transaction that holds the conversation row.
 */
type TextIn = Extract<Input, { type: 'text' }>;
type EventIn = Extract<Input, { type: 'text' | 'attachments' | 'location' }>;

const SURE_OUT_OF_SCOPE = 0.85;
const INTAKE: State[] = ['intake_collecting', 'intake_confirming'];

export function transition(state: State, data: StateData, input: Input, ctx: Ctx): Step {
  // Idle means no report in progress: a draft left there (by an older version) is not resumed later.
  if (state === 'idle' && data.draft) {
    const { draft: _dropped, ...rest } = data;
    data = rest;
  }
  if (input.type === 'burst_end') return burstEnd(state, data, input);
  if (input.type === 'follow') return step(state, data, [menu(vi.welcome)]);
  if (input.type === 'delete_request') return askDeletion(data);

  let d = data;
  // A command ("gặp tổng đài viên", a code) is never an emergency, whatever the classifier says of so short a text.
  const emergency =
    input.type === 'text' &&
    !input.stale &&
    !!input.understanding?.classification.emergency &&
    !parseCommand(input.text) &&
    !parseYesNo(input.text);
  if ((input.type === 'text' || input.type === 'attachments') && !input.stale) {
    const verdict = spamCheck(data, ctx);
    if (verdict.kind === 'muted')
      return emergency ? emergencyStep(state, data, input as TextIn) : step(state, data, [], false);
    if (verdict.kind === 'mute_now')
      return emergency ? emergencyStep(state, data, input as TextIn) : muteNow(verdict.data);
    d = verdict.data;
  }
  if (emergency) return emergencyStep(state, d, input as TextIn);
  // While an operator holds the conversation the bot says nothing; the messages stay for the operator.
  // Files go onto the open ticket, with one short word that the operator will see them.
  if (state === 'handoff') return input.type === 'attachments' ? heldFiles(d, input, ctx) : step(state, d, []);
  if (input.type === 'contact') return onContact(state, d, input, ctx);
  if (input.stale) {
    const draft = d.draft;
    if (INTAKE.includes(state) && draft && input.type !== 'location') return collect(state, d, draft, input);
    return step(state, d, [], false);
  }
  if (input.type === 'text') return onText(state, d, input, ctx);
  if (input.type === 'location') return onLocation(state, d, input);
  return onAttachments(state, d, input);
}

/** 114/113/115 first, the ticket flagged at once, no confirmation; whatever was in progress stays. */
function emergencyStep(state: State, data: StateData, input: TextIn): Step {
  return step(state, data, [
    { type: 'create_ticket', reason: 'emergency', text: input.text, understanding: input.understanding },
    say(`${vi.emergency}\n${vi.emergencyRecorded('{code}')}`),
  ]);
}

/** Where the dialogue returns once a question about a ticket is settled: a report being written waits there. */
const back = (data: StateData): State => (data.draft ? draftState(data.draft) : 'idle');

const substantive = (text: string) => !isFiller(text) && text.trim().split(/\s+/).length >= 4;

function startDraft(data: StateData, mode: Draft['mode'], input?: EventIn): Step {
  const draft = newDraft(mode, pinOf(data));
  const rest = cleared(data);
  if (!input) {
    return step('intake_collecting', { ...rest, draft: { ...draft, asked: 'content' } }, [
      say(mode === 'procedure' ? vi.askProcedure : vi.askContent),
    ]);
  }
  return collect('idle', rest, draft, input);
}

function onText(state: State, data: StateData, input: TextIn, ctx: Ctx): Step {
  const cmd = parseCommand(input.text);
  switch (cmd?.kind) {
    case 'delete_data':
      return askDeletion(data);
    case 'handoff':
      return handoff(data, 'requested');
    case 'menu':
      return step(state, { ...data, unrecognised: 0 }, [menu()]);
    case 'lookup':
      return lookup(state, data, ctx, cmd.code);
    case 'rate':
      return rate(data, ctx, cmd.rating, cmd.code);
    case 'reopen':
      return reopen(data, ctx, cmd.code);
    case 'withdraw':
      return askWithdraw(data, ctx, cmd.code);
    case 'add_info':
      return askAddInfo(data, ctx, cmd.code);
    case 'report':
      return startDraft(data, 'report');
    case 'ask_procedure':
      return startDraft(data, 'procedure');
  }
  const yn = parseYesNo(input.text);
  const again = (s: State, d: StateData) => onText(s, d, input, ctx);
  switch (state) {
    case 'idle':
      return idleText(data, input);
    case 'intake_collecting':
    case 'intake_confirming': {
      const draft = data.draft!;
      const summarised = draft.summaryRev !== undefined;
      if (summarised && (cmd?.kind === 'confirm' || (state === 'intake_confirming' && yn === 'yes')))
        return confirm(data, ctx);
      if (cmd?.kind === 'cancel' || (state === 'intake_confirming' && yn === 'no')) return cancel(data);
      if (cmd?.kind === 'edit') return edit(data);
      if (cmd?.kind === 'confirm') return confirmHint(data);
      return collect(state, data, draft, input);
    }
    case 'consent_pending': {
      const phone = findVnMobile(input.text);
      if (phone) return withEffectsFirst(consentAnswer(data, true), phoneGiven(data, phone));
      if (yn) return consentAnswer(data, yn === 'yes');
      if (substantive(input.text)) return again(back(data), cleared(data));
      return unrecognised(state, data, say(CONTACT_NOTICE.text, YES_NO_BUTTONS));
    }
    case 'awaiting_phone': {
      const phone = parseVnMobile(input.text) ?? findVnMobile(input.text);
      if (phone) return phoneGiven(data, phone);
      if (yn === 'no') return resumeDraft(cleared(data), [say(vi.consentDeclined)]);
      if (substantive(input.text)) return again(back(data), cleared(data));
      return unrecognised(state, data, say(vi.phoneInvalid));
    }
    case 'rating_pending': {
      const rating = parseRating(input.text);
      if (rating) return rate(data, ctx, rating);
      if (yn === 'no') return resumeDraft(cleared(data), [say(vi.ratingThanks)]);
      if (substantive(input.text)) return again(back(data), cleared(data));
      return unrecognised(state, data, say(vi.askRatingAgain, ratingButtons(data.ticket!.code)));
    }
    case 'rating_comment':
      if (yn === 'no' || isFiller(input.text)) return resumeDraft(cleared(data), [say(vi.ratingThanks)]);
      return comment(data, input.eventId, input.text);
    case 'adding_info':
      // A button of the summary shown before the unit asked is for the draft, not the unit.
      if (data.draft && (cmd?.kind === 'confirm' || cmd?.kind === 'edit' || cmd?.kind === 'cancel'))
        return again(draftState(data.draft), cleared(data));
      return resumeDraft(cleared(data), [
        { type: 'add_to_ticket', ticketId: data.ticket!.id, eventId: input.eventId },
        say(vi.infoAdded(data.ticket!.code)),
      ]);
    case 'withdraw_confirming': {
      const t = data.ticket!;
      if (yn === 'yes')
        return resumeDraft(cleared(data), [{ type: 'withdraw_ticket', ticketId: t.id }, say(vi.withdrawn(t.code))]);
      if (yn === 'no') return resumeDraft(cleared(data), [say(vi.kept)]);
      if (substantive(input.text)) return again(back(data), cleared(data));
      return unrecognised(state, data, say(vi.withdrawAsk(t.code), YES_NO_BUTTONS));
    }
    case 'deletion_confirming':
      if (yn) return deletionAnswer(data, yn === 'yes');
      if (substantive(input.text)) return again(back(data), cleared(data));
      return unrecognised(state, data, say(vi.deletionAsk, YES_NO_BUTTONS));
    default:
      return step(state, data, [], false);
  }
}

/** The first message: small talk gets the menu; anything with content starts a draft. */
function idleText(data: StateData, input: TextIn): Step {
  const parsed = parseCommand(input.text);
  if (parsed?.kind === 'confirm' || parsed?.kind === 'edit' || parsed?.kind === 'cancel')
    return step('idle', data, [notUnderstood()]);
  const intent = firstIntent(input.text);
  if (intent === 'thanks') return step('idle', { ...data, unrecognised: 0 }, [say(vi.thanks)]);
  // "alo" opens a draft: the content often follows within seconds, and the burst absorbs it.
  if (intent === 'greeting' && folded(input.text)) return startDraft(data, 'report', input);
  if (isFiller(input.text)) return step('idle', { ...data, unrecognised: 0 }, [menu()]);
  const c = input.understanding?.classification;
  if (c && c.category === 'khac' && c.kind === 'ngoai_pham_vi' && c.confidence.kind >= SURE_OUT_OF_SCOPE)
    return step('idle', data, [menu()]);
  return startDraft(data, 'report', input);
}

function onLocation(state: State, data: StateData, input: Extract<Input, { type: 'location' }>): Step {
  const withPin = { ...data, lastLocation: input.raw };
  if (INTAKE.includes(state) && data.draft) return collect(state, withPin, data.draft, input);
  return step(state, withPin, [say(vi.locationNoted)]);
}

function onAttachments(state: State, data: StateData, input: Extract<Input, { type: 'attachments' }>): Step {
  if (INTAKE.includes(state) && data.draft) return collect(state, data, data.draft, input);
  // Right after the acknowledgement (the contact question still open) a file belongs to the ticket
  // just created, as it would while adding information.
  const justCreated = (state === 'consent_pending' || state === 'awaiting_phone') && !!data.ticket?.id;
  if (state === 'adding_info' || justCreated) {
    const t = data.ticket!;
    const effects: Effect[] = [
      { type: 'add_to_ticket', ticketId: t.id, eventId: input.eventId, attachments: input.attachments },
      say(vi.attachmentAdded(t.code, attachmentsNoun(attachmentTypes(input.attachments)))),
    ];
    // Several files may follow: the conversation stays on the ticket; a draft resumes on the next text.
    return step(state, data, effects);
  }
  return startDraft(data, 'report', input);
}

function onContact(state: State, data: StateData, input: Extract<Input, { type: 'contact' }>, ctx: Ctx): Step {
  const phone = input.phone ? (parseVnMobile(input.phone) ?? undefined) : undefined;
  if (state === 'awaiting_phone') return phoneGiven(data, phone, input.name);
  if (ctx.facts.consent === 'granted')
    return step(state, data, [{ type: 'save_contact', phone, name: input.name }, say(vi.infoReceived)]);
  return step(state, data, [say(vi.infoNotStored)]);
}

/** Two steps as one: the first's effects, then the second's, ending in the second's state. */
function withEffectsFirst(first: Step, second: Step): Step {
  return { ...second, effects: [...first.effects.filter((e) => e.type !== 'reply'), ...second.effects] };
}
