import { z } from 'zod';

/**
 * Zod schemas of the Zalo OA webhook events (../shared/zalo-oa.md §1). Ids and timestamps are
 * strings (ids exceed 2^53); a number where a string belongs fails validation rather than lose digits.
 * Objects are loose: Zalo adds fields, and the raw body is stored anyway.
 */
const id = z.string().min(1);
const party = z.looseObject({ id, admin_id: z.string().optional() });

export const envelopeSchema = z.looseObject({
  app_id: z.string().min(1),
  event_name: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/, 'timestamp must be a string of digits (ms since epoch)'),
  user_id_by_app: z.string().optional(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

const coordinate = z.union([z.string().regex(/^-?\d+(\.\d+)?$/), z.number()]);
const imagePayload = z.looseObject({ url: z.string().optional(), thumbnail: z.string().optional() });
const attachment = z.looseObject({
  type: z.string(),
  payload: z.looseObject({}).optional(),
});

const userMessage = z.looseObject({
  msg_id: id,
  text: z.string().optional(),
  quote_msg_id: z.string().optional(),
  attachments: z.array(attachment).optional(),
});

const fromUser = { sender: party, recipient: party };

const textEvent = z.looseObject({ ...fromUser, message: userMessage.extend({ text: z.string() }) });
const attachmentsEvent = (type: string, payload: z.ZodType) =>
  z.looseObject({
    ...fromUser,
    message: userMessage.extend({
      attachments: z.array(z.looseObject({ type: z.literal(type).or(z.string()), payload })).min(1),
    }),
  });

const locationPayload = z.looseObject({
  coordinates: z.looseObject({ latitude: coordinate, longitude: coordinate }),
});
const filePayload = z.looseObject({
  url: z.string(),
  name: z.string().optional(),
  size: z.union([z.string(), z.number()]).optional(),
  checksum: z.string().optional(),
  type: z.string().optional(),
});
const mediaPayload = z.looseObject({
  url: z.string().optional(),
  thumbnail: z.string().optional(),
  description: z.string().optional(),
});

const followEvent = z.looseObject({ oa_id: z.string().optional(), follower: party, source: z.string().optional() });
const submitInfoEvent = z.looseObject({
  ...fromUser,
  info: z.looseObject({
    name: z.string().optional(),
    phone: z.string().optional(),
    address: z.string().optional(),
    city: z.string().optional(),
    district: z.string().optional(),
    ward: z.string().optional(),
    full_address: z.looseObject({}).optional(),
  }),
});
const receiptEvent = z.looseObject({
  sender: party,
  recipient: party,
  message: z.looseObject({ msg_id: z.string().optional(), msg_ids: z.array(z.string()).optional() }),
});
const oaEcho = z.looseObject({ sender: party, recipient: party, message: z.looseObject({}).optional() });
const reactionEvent = z.looseObject({
  ...fromUser,
  message: z.looseObject({ msg_id: z.string().optional(), react_icon: z.string().optional() }),
});
const withdrawEvent = z.looseObject({ sender: party.optional(), recipient: party.optional() });

/** Every event the hotline understands. Anything else is stored and acknowledged. */
export const EVENT_SCHEMAS = {
  user_send_text: textEvent,
  user_send_image: attachmentsEvent('image', imagePayload),
  user_send_gif: attachmentsEvent('gif', imagePayload),
  user_send_file: attachmentsEvent('file', filePayload),
  user_send_location: attachmentsEvent('location', locationPayload),
  user_send_audio: attachmentsEvent('audio', mediaPayload),
  user_send_video: attachmentsEvent('video', mediaPayload),
  user_send_link: attachmentsEvent('link', mediaPayload),
  user_send_sticker: attachmentsEvent('sticker', mediaPayload),
  user_send_business_card: attachmentsEvent('business_card', mediaPayload),
  follow: followEvent,
  unfollow: followEvent,
  user_submit_info: submitInfoEvent,
  user_received_message: receiptEvent,
  user_seen_message: receiptEvent,
  user_reacted_message: reactionEvent,
  user_withdraw: withdrawEvent,
} as const satisfies Record<string, z.ZodType>;

export type KnownEventName = keyof typeof EVENT_SCHEMAS;

export function isKnownEvent(name: string): name is KnownEventName {
  return Object.prototype.hasOwnProperty.call(EVENT_SCHEMAS, name);
}

/** Echoes of what the OA sent (through the API or a person in the OA chat tool): never answered. */
export function isOaEcho(name: string): boolean {
  return name.startsWith('oa_send_');
}

/** The citizen an event concerns, whichever field Zalo put it in. */
export function citizenIdOf(event: Record<string, unknown>): string | undefined {
  const get = (o: unknown, k: string) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined);
  const name = String(event.event_name ?? '');
  if (name === 'follow' || name === 'unfollow') return get(get(event, 'follower'), 'id') as string | undefined;
  if (isOaEcho(name) || name === 'user_received_message' || name === 'user_seen_message')
    return get(get(event, 'recipient'), 'id') as string | undefined;
  return (
    (get(get(event, 'sender'), 'id') as string | undefined) ?? (get(get(event, 'follower'), 'id') as string | undefined)
  );
}

/**
 * Events whose message.msg_id names the message the event carries. In receipts and reactions the
 * msg_id names an earlier OA message, so many events share it and it cannot identify them.
 */
function carriesOwnMessage(name: string): boolean {
  return name.startsWith('user_send_') || isOaEcho(name);
}

export function msgIdOf(event: Record<string, unknown>): string | undefined {
  if (!carriesOwnMessage(String(event.event_name ?? ''))) return undefined;
  const message = event.message as { msg_id?: unknown } | undefined;
  return message && typeof message.msg_id === 'string' && message.msg_id ? message.msg_id : undefined;
}

/**
 * The idempotency key of an event: Zalo's msg_id where the event carries a message of its own,
 * else event + citizen + referenced message + timestamp (zalo-oa.md: at-least-once delivery).
 */
export function dedupeKeyOf(event: Envelope & Record<string, unknown>): string {
  const own = msgIdOf(event);
  if (own) return `msg:${own}`;
  const ref = (event.message as { msg_id?: unknown } | undefined)?.msg_id;
  return `evt:${event.event_name}:${citizenIdOf(event) ?? '-'}:${typeof ref === 'string' ? ref : '-'}:${event.timestamp}`;
}

/** Validates a known event's shape; returns a one-line problem, or null when it is fine or unknown. */
export function eventProblem(event: Envelope & Record<string, unknown>): string | null {
  const schema = isOaEcho(event.event_name)
    ? oaEcho
    : isKnownEvent(event.event_name)
      ? EVENT_SCHEMAS[event.event_name]
      : null;
  if (!schema) return null;
  const r = schema.safeParse(event);
  if (r.success) return null;
  return r.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`)
    .join('; ');
}
