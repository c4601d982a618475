import { WINDOW_MS as CS_WINDOW_MS } from '../conversation/notify';

/**
 * How a message owed to a citizen reaches them. Within Zalo's 7-day window a customer-service message
 * is free and immediate; after it, a ZNS template (billed, needs the phone and an approved template);
 * otherwise an operator calls. Pure, so the choice is tested without a clock.
 */
export type FollowupKind = 'progress' | 'answer' | 'rating';
export type Channel = 'zalo_cs' | 'zns' | 'call';

export interface ChannelInput {
  lastUserMessageAt: Date | null;
  now: Date;
  /** The ZNS template for this kind of message; undefined = not configured. */
  znsTemplate?: string;
  /** The citizen's phone, given with consent (conversations.contact_phone). */
  phone?: string | null;
}

export interface ChannelChoice {
  channel: Channel;
  /** Why not the first choice: outside_window, and for a call no_phone or zns_not_configured. */
  reason?: 'no_phone' | 'zns_not_configured';
}

export function windowOpen(lastUserMessageAt: Date | null, now: Date): boolean {
  return !!lastUserMessageAt && now.getTime() - lastUserMessageAt.getTime() < CS_WINDOW_MS;
}

export function chooseChannel(i: ChannelInput): ChannelChoice {
  if (windowOpen(i.lastUserMessageAt, i.now)) return { channel: 'zalo_cs' };
  if (!i.znsTemplate) return { channel: 'call', reason: 'zns_not_configured' };
  if (!i.phone) return { channel: 'call', reason: 'no_phone' };
  return { channel: 'zns' };
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Progress updates fall every `everyDays` calendar days after receipt: update n is due at
 * receivedAt + n × period. `current` is the latest one due by now (0: none yet).
 */
export function progressSchedule(receivedAt: Date, now: Date, everyDays: number) {
  const period = everyDays * DAY_MS;
  const current = Math.max(0, Math.floor((now.getTime() - receivedAt.getTime()) / period));
  return {
    current,
    dueAt: (seq: number) => new Date(receivedAt.getTime() + seq * period),
  };
}
