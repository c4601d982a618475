import type { Db } from '../db/client';
import type { Ticket } from '../tickets/create-ticket';

/**
 * What the console needs from the dialogue (src/conversation/) and the deadlines (src/sla/), which
 * other branches own. The defaults below are plain stand-ins. TODO(lead): wire the dialogue's
 * catalogue wording for these messages, and the SLA module's re-evaluation of deadlines on a unit
 * change and on an approved extension.
 */
export type CitizenMessageKind = 'operator_reply' | 'ask_info' | 'answer';

export interface CitizenNotifier {
  /** Writes the message to the outbox inside the caller's transaction; returns the outbox row ids. */
  compose(tx: Db, ticket: Ticket, kind: CitizenMessageKind, text: string, dedupeKey: string): Promise<number[]>;
}

export interface DeadlinePolicy {
  /** New deadlines when a ticket moves to another unit (domain.md: deadlines are re-evaluated). */
  onTransfer(ticket: Ticket, at: Date): Partial<Pick<Ticket, 'forwardDueAt' | 'answerDueAt'>>;
}

/** Leaves the deadlines as they were until the SLA module says otherwise. */
export const keepDeadlines: DeadlinePolicy = { onTransfer: () => ({}) };

/** The 7-day customer-service window of Zalo, counted from the citizen's last message. */
export const CS_WINDOW_MS = 7 * 24 * 3600 * 1000;

export interface WindowState {
  open: boolean;
  lastUserMessageAt: Date | null;
  closesAt: Date | null;
}

export function windowState(lastUserMessageAt: Date | null, now = new Date()): WindowState {
  const closesAt = lastUserMessageAt ? new Date(lastUserMessageAt.getTime() + CS_WINDOW_MS) : null;
  return { open: !!closesAt && closesAt > now, lastUserMessageAt, closesAt };
}
