import { z } from 'zod';

/**
 * Builders for the `message` object of POST /v3.0/oa/message/cs, and the schema the outbox uses to
 * validate stored messages. Builders are pure: they normalise text and refuse what Zalo would refuse,
 * so a bad message fails at enqueue time rather than as a −201 from Zalo.
 */

/**
 * Zalo's limits. Lengths are counted in UTF-16 code units (String.length): Zalo's backend is Java,
 * and for Vietnamese text (all in the BMP) this equals the number of characters anyway.
 */
export const TEXT_MAX = 2000;
export const BUTTONS_MAX = 5;
export const BUTTON_TITLE_MAX = 100;
export const BUTTON_PAYLOAD_MAX = 1000;
export const INFO_TITLE_MAX = 100;
export const INFO_SUBTITLE_MAX = 500;

export type MessageErrorCode = 'MESSAGE_TOO_LONG' | 'MESSAGE_INVALID';

/** Thrown by the builders; `code` follows the project's error-code convention (see errorCode()). */
export class MessageValidationError extends Error {
  constructor(
    readonly code: MessageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MessageValidationError';
  }
}

const nonBlank = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0, 'must not be blank');
const httpUrl = z.url({ protocol: /^https?$/ });

const queryButton = z.strictObject({
  type: z.enum(['oa.query.hide', 'oa.query.show']),
  title: nonBlank(BUTTON_TITLE_MAX),
  payload: nonBlank(BUTTON_PAYLOAD_MAX),
});
const urlButton = z.strictObject({
  type: z.literal('oa.open.url'),
  title: nonBlank(BUTTON_TITLE_MAX),
  payload: z.strictObject({ url: httpUrl }),
});
const phoneButton = z.strictObject({
  type: z.literal('oa.open.phone'),
  title: nonBlank(BUTTON_TITLE_MAX),
  // Hotlines are short (1022) as well as full numbers (0912345678, +84912345678).
  payload: z.strictObject({ phone_code: z.string().regex(/^\+?\d{3,15}$/, 'must be 3–15 digits') }),
});
export const csButtonSchema = z.discriminatedUnion('type', [queryButton, urlButton, phoneButton]);
export type CsButton = z.infer<typeof csButtonSchema>;

const textOnly = z.strictObject({ text: nonBlank(TEXT_MAX) });

const withButtons = z.strictObject({
  text: nonBlank(TEXT_MAX),
  attachment: z.strictObject({
    type: z.literal('template'),
    payload: z.strictObject({ buttons: z.array(csButtonSchema).min(1).max(BUTTONS_MAX) }),
  }),
});

const imageElement = z.union([
  z.strictObject({ media_type: z.literal('image'), url: httpUrl }),
  z.strictObject({ media_type: z.literal('image'), attachment_id: z.string().min(1) }),
]);
const media = z.strictObject({
  text: nonBlank(TEXT_MAX).optional(),
  attachment: z.strictObject({
    type: z.literal('template'),
    payload: z.strictObject({ template_type: z.literal('media'), elements: z.tuple([imageElement]) }),
  }),
});

const requestUserInfo = z.strictObject({
  attachment: z.strictObject({
    type: z.literal('template'),
    payload: z.strictObject({
      template_type: z.literal('request_user_info'),
      elements: z.tuple([
        z.strictObject({
          title: nonBlank(INFO_TITLE_MAX),
          subtitle: nonBlank(INFO_SUBTITLE_MAX),
          image_url: httpUrl,
        }),
      ]),
    }),
  }),
});

/** A CS message as stored in outbound_messages.message and sent under `message`. */
export const csMessageSchema = z.union([textOnly, withButtons, media, requestUserInfo]);
export type CsMessage = z.infer<typeof csMessageSchema>;

/** Button input: like CsButton, but strings are normalised by the builder. */
export type ButtonInput = CsButton;

export type ImageSource = { url: string } | { attachmentId: string };

export interface UserInfoRequest {
  title: string;
  subtitle: string;
  imageUrl: string;
}

const nfc = (s: string) => s.normalize('NFC');

function checkTextLength(text: string): void {
  if (text.length > TEXT_MAX)
    throw new MessageValidationError(
      'MESSAGE_TOO_LONG',
      `Message text is ${text.length} characters; Zalo accepts at most ${TEXT_MAX} (split it before building)`,
    );
}

function validated<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`);
  throw new MessageValidationError('MESSAGE_INVALID', `Invalid Zalo message: ${problems.join('; ')}`);
}

export function textMessage(text: string): CsMessage {
  const t = nfc(text);
  checkTextLength(t);
  return validated(textOnly, { text: t });
}

export function buttonsMessage(text: string, buttons: readonly ButtonInput[]): CsMessage {
  const t = nfc(text);
  checkTextLength(t);
  if (buttons.length > BUTTONS_MAX)
    throw new MessageValidationError(
      'MESSAGE_INVALID',
      `Zalo shows at most ${BUTTONS_MAX} buttons, got ${buttons.length}`,
    );
  const normalised = buttons.map((b): CsButton => {
    const title = nfc(b.title);
    switch (b.type) {
      case 'oa.query.hide':
      case 'oa.query.show':
        return { type: b.type, title, payload: nfc(b.payload) };
      case 'oa.open.url':
        return { type: b.type, title, payload: { url: b.payload.url } };
      case 'oa.open.phone':
        // People write numbers with spaces and dots; Zalo wants digits.
        return { type: b.type, title, payload: { phone_code: b.payload.phone_code.replace(/[\s.()-]/g, '') } };
    }
  });
  return validated(withButtons, { text: t, attachment: { type: 'template', payload: { buttons: normalised } } });
}

/** An image by public URL or by an attachment_id from uploadImage(); `caption` is optional text above it. */
export function imageMessage(source: ImageSource, caption?: string): CsMessage {
  const element =
    'url' in source
      ? { media_type: 'image', url: source.url }
      : { media_type: 'image', attachment_id: source.attachmentId };
  const message: Record<string, unknown> = {
    attachment: { type: 'template', payload: { template_type: 'media', elements: [element] } },
  };
  if (caption !== undefined) {
    const c = nfc(caption);
    checkTextLength(c);
    message.text = c;
  }
  return validated(media, message);
}

/** The card asking the citizen to share name/phone/address; the answer arrives as `user_submit_info`. */
export function requestUserInfoMessage(req: UserInfoRequest): CsMessage {
  return validated(requestUserInfo, {
    attachment: {
      type: 'template',
      payload: {
        template_type: 'request_user_info',
        elements: [{ title: nfc(req.title), subtitle: nfc(req.subtitle), image_url: req.imageUrl }],
      },
    },
  });
}

/** Validates a stored message (e.g. an outbox row) and returns it typed, or throws MessageValidationError. */
export function parseCsMessage(value: unknown): CsMessage {
  return validated(csMessageSchema, value);
}
