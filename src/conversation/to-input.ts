import { pinOf } from '../understand/understand';
import type { Understanding } from '../understand/understand';
import { nfc } from '../text/fold';
import type { Input } from './machine/types';

/** Attachment events that carry something the citizen means to send (stickers and cards do not). */
const ATTACHMENT_EVENTS = new Set([
  'user_send_image',
  'user_send_gif',
  'user_send_file',
  'user_send_audio',
  'user_send_video',
  'user_send_link',
]);

/** Caption of an image is content too; the longest text Zalo may send is kept whole in inbound_events. */
const MAX_TEXT = 10_000;

/** A webhook event as the machine's input; null for events the dialogue does not act on. */
export function toInput(
  event: Record<string, unknown> & { event_name: string },
  eventId: number,
  ts: number,
  stale: boolean,
  understanding?: Understanding,
): Input | null {
  const base = { eventId, ts, stale };
  const message = (event.message ?? {}) as { text?: unknown; attachments?: unknown[] };
  switch (event.event_name) {
    case 'user_send_text':
      return {
        type: 'text',
        text: nfc(String(message.text ?? ''))
          .trim()
          .slice(0, MAX_TEXT),
        understanding,
        ...base,
      };
    case 'user_send_location': {
      const raw = (message.attachments?.[0] as { payload?: unknown } | undefined)?.payload;
      return { type: 'location', pin: pinOf({ lastLocation: raw }), raw, ...base };
    }
    case 'user_submit_info': {
      const info = (event.info ?? {}) as { phone?: unknown; name?: unknown };
      const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
      return { type: 'contact', phone: str(info.phone), name: str(info.name), ...base };
    }
    case 'follow':
      return { type: 'follow', ...base };
    case 'user_withdraw':
      return { type: 'delete_request', ...base };
    default:
      if (ATTACHMENT_EVENTS.has(event.event_name))
        return { type: 'attachments', eventName: event.event_name, attachments: message.attachments ?? [], ...base };
      return null;
  }
}
