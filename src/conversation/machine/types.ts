import type { DialogueSettings } from '../../config/env';
import type { Understanding } from '../../understand/understand';
import type { Button } from '../catalogue';

/** The dialogue's states, persisted in conversations.state (one row per Zalo user). */
export const STATES = [
  'idle',
  'intake_collecting',
  'intake_confirming',
  'consent_pending',
  'awaiting_phone',
  'rating_pending',
  'rating_comment',
  'adding_info',
  'withdraw_confirming',
  'deletion_confirming',
  'handoff',
] as const;
export type State = (typeof STATES)[number];

export interface DraftPart {
  eventId: number;
  /** Zalo's timestamp (ms): parts are kept in the order the citizen wrote them, whatever the delivery order. */
  ts: number;
  text: string;
}

/** The report being written: one at a time per citizen; a ticket only once confirmed. */
export interface Draft {
  /** Bumped by every addition: the burst timer of an older revision does nothing. */
  rev: number;
  mode: 'report' | 'procedure';
  parts: DraftPart[];
  /** Same shape as ticket_events 'attachment_received' data, so they can be copied across as they are. */
  attachments: Array<{ eventId: number; attachments: unknown[] }>;
  pin?: { lat: number; lon: number } | null;
  asked?: 'content' | 'commune';
  communeAsks: number;
  /** What the whole draft was understood as at the last burst end. */
  understanding?: Understanding;
  /** The revision the citizen last saw summarised. */
  summaryRev?: number;
}

/** The ticket a pending question is about. `id` 0 means the ticket this very step creates. */
export interface TicketRef {
  id: number;
  code: string;
}

export interface StateData {
  draft?: Draft;
  ticket?: TicketRef;
  /** Unrecognised answers in a row: at three the conversation goes to an operator. */
  unrecognised?: number;
  rate?: { windowStart: number; count: number; mutedUntil?: number };
  /** When files sent to an operator were last acknowledged (one acknowledgement per burst). */
  heldFilesAckAt?: number;
  /** The last location pin (kept for the next intake). */
  lastLocation?: unknown;
  [key: string]: unknown;
}

/** What the machine may know of the database: read before the step, inside the same transaction. */
export interface TicketFact {
  id: number;
  code: string;
  status: string;
  answeredAt: number | null;
  rated: boolean;
}
export interface Facts {
  /** The citizen's own tickets, newest first. */
  tickets: TicketFact[];
  hasPhone: boolean;
  /** The latest answer to the contact notice, if any. */
  consent: 'granted' | 'declined' | 'withdrawn' | null;
}

interface EventInput {
  eventId: number;
  /** Zalo's timestamp in ms. */
  ts: number;
  /** Older than an event already handled: it may add content, never answer a question. */
  stale: boolean;
}

export type Input =
  | ({ type: 'text'; text: string; understanding?: Understanding } & EventInput)
  | ({ type: 'attachments'; eventName: string; attachments: unknown[] } & EventInput)
  | ({ type: 'location'; pin: { lat: number; lon: number } | null; raw: unknown } & EventInput)
  | ({ type: 'contact'; phone?: string; name?: string } & EventInput)
  | ({ type: 'follow' } & EventInput)
  | ({ type: 'delete_request' } & EventInput)
  | { type: 'burst_end'; rev: number; understanding?: Understanding };

/** A message to send; `{code}` in a text is replaced by the code of the ticket the same step created. */
export type Reply =
  { text: string; buttons?: Button[] } | { infoCard: true } | { status: number; buttons: boolean } | { summary: true };

export type Effect =
  | { type: 'reply'; reply: Reply }
  | { type: 'schedule_burst'; rev: number; complete: boolean }
  | {
      type: 'create_ticket';
      reason: 'intake' | 'emergency';
      text: string;
      understanding?: Understanding;
      attachments?: Draft['attachments'];
    }
  | { type: 'add_to_ticket'; ticketId: number; eventId: number; attachments?: unknown[] }
  | { type: 'record_consent'; answer: 'granted' | 'declined' }
  | { type: 'save_contact'; phone?: string; name?: string; ticketId?: number }
  | { type: 'withdraw_ticket'; ticketId: number }
  | { type: 'reopen_ticket'; ticketId: number }
  | { type: 'rate'; ticketId: number; rating: number }
  | { type: 'rate_comment'; ticketId: number; eventId: number; text: string }
  | { type: 'handoff'; reason: string }
  | { type: 'erase_personal_data' };

export interface Step {
  state: State;
  data: StateData;
  effects: Effect[];
  /** False when the input changed nothing and said nothing (the event is recorded as ignored). */
  handled: boolean;
}

export interface MachineContext {
  now: number;
  facts: Facts;
  settings: DialogueSettings;
}
