import { vi, YES_NO_BUTTONS } from '../catalogue';
import { cleared, reply, say, step } from './helpers';
import { resumeDraft } from './intake';
import type { StateData, Step } from './types';

/** The contact notice (Law 91/2025): an explicit yes stores consent and asks for the number; silence stores nothing. */
export function consentAnswer(data: StateData, yes: boolean): Step {
  if (!yes)
    return step('idle', cleared(data), [{ type: 'record_consent', answer: 'declined' }, say(vi.consentDeclined)]);
  return step('awaiting_phone', { ...data, unrecognised: 0 }, [
    { type: 'record_consent', answer: 'granted' },
    say(vi.consentThanks),
    reply({ infoCard: true }),
  ]);
}

export function phoneGiven(data: StateData, phone: string | undefined, name?: string): Step {
  return step('idle', cleared(data), [
    { type: 'save_contact', phone, name, ticketId: data.ticket?.id },
    say(phone ? vi.phoneSaved : vi.infoReceived),
  ]);
}

export function askDeletion(data: StateData): Step {
  return step('deletion_confirming', cleared(data), [say(vi.deletionAsk, YES_NO_BUTTONS)]);
}

export function deletionAnswer(data: StateData, yes: boolean): Step {
  // Everything goes, the draft included: the conversation starts over.
  if (yes) return step('idle', {}, [{ type: 'erase_personal_data' }, say(vi.deletionDone)]);
  return resumeDraft(cleared(data), [say(vi.deletionKept)]);
}
