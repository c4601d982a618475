import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import type { SentLog } from './fake-zalo-api';
import { SANDBOX_STICKERS, type MediaStore } from './media-store';
import { badRequest, parseOr400, userId, type createSignedEvents } from './signed-events';

/**
 * The page's attachments, location pins and stickers, sent as Zalo would send them: an uploaded
 * file is kept by the stand-in CDN (MediaStore) and the signed event carries its media URL.
 */
type Signed = ReturnType<typeof createSignedEvents>;

export interface MediaRouteDeps {
  sentLog: SentLog;
  media: MediaStore;
  /** Where the Zalo stand-in serves media, as the hotline's workers reach it. */
  mediaBaseUrl: () => string;
  deliver: Signed['deliver'];
  fromUser: Signed['fromUser'];
}

const uploadQuery = z.object({
  userId,
  name: z
    .string({ error: 'Thiếu tên tệp (name is required)' })
    .trim()
    .min(1, 'Thiếu tên tệp (name is required)')
    .max(200, 'Tên tệp tối đa 200 ký tự (name must be at most 200 characters)')
    .transform((s) => s.normalize('NFC')),
  /** The type the browser declared (File.type); may be empty. */
  type: z
    .string()
    .max(100)
    .regex(/^$|^[\w.+-]+\/[\w.+-]+$/, 'Kiểu tệp không hợp lệ (type must be a MIME type)')
    .default(''),
  caption: z.string().max(2000).optional(),
});
const coordinate = (min: number, max: number) => z.coerce.number().min(min).max(max);
const locationSchema = z.object({ userId, latitude: coordinate(-90, 90), longitude: coordinate(-180, 180) });
const stickerSchema = z.object({
  userId,
  stickerId: z.string().refine((id) => id in SANDBOX_STICKERS, 'Nhãn dán không có (unknown sticker)'),
});

/** Which event Zalo sends for a file of this declared type. */
export function eventFor(type: string): { eventName: string; kind: string } {
  if (type === 'image/gif') return { eventName: 'user_send_gif', kind: 'gif' };
  if (type.startsWith('image/')) return { eventName: 'user_send_image', kind: 'image' };
  if (type.startsWith('video/')) return { eventName: 'user_send_video', kind: 'video' };
  if (type.startsWith('audio/')) return { eventName: 'user_send_audio', kind: 'audio' };
  return { eventName: 'user_send_file', kind: 'file' };
}

const extOf = (name: string) => /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toLowerCase() ?? '';

export function addMediaRoutes(api: Router, deps: MediaRouteDeps): void {
  const { sentLog, media } = deps;
  const raw = express.raw({ type: () => true, limit: media.maxFileBytes });

  api.post('/upload', raw, async (req, res) => {
    const q = parseOr400(uploadQuery, req.query, res);
    if (!q) return;
    const data = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!data.length) return void badRequest(res, 'SANDBOX_EMPTY_FILE', 'Tệp rỗng (the file is empty)');
    const item = media.put(data, q.name, q.type);
    const url = `${deps.mediaBaseUrl()}/${item.id}/${encodeURIComponent(q.name)}`;
    const { eventName, kind } = eventFor(q.type);
    // Zalo's shapes (zalo-oa.md §1): images carry url + thumbnail, files name/size/checksum/type.
    const payload =
      kind === 'file'
        ? { url, name: q.name, size: String(data.length), checksum: item.md5, type: extOf(q.name) }
        : { url, thumbnail: url, ...(kind === 'image' || kind === 'gif' ? {} : { description: q.name }) };
    sentLog.noteInteraction(q.userId);
    const { event, msgId } = deps.fromUser(q.userId, eventName, {
      ...(q.caption ? { text: q.caption.normalize('NFC') } : {}),
      attachments: [{ type: kind, payload }],
    });
    // The page shows the citizen's own picture from the same URL path (same origin as the page).
    await deps.deliver(res, event, { msgId, eventName, mediaPath: new URL(url).pathname });
  });

  api.post('/location', async (req, res) => {
    const body = parseOr400(locationSchema, req.body, res);
    if (!body) return;
    sentLog.noteInteraction(body.userId);
    const coordinates = { latitude: String(body.latitude), longitude: String(body.longitude) };
    const { event, msgId } = deps.fromUser(body.userId, 'user_send_location', {
      attachments: [{ type: 'location', payload: { coordinates } }],
    });
    await deps.deliver(res, event, { msgId });
  });

  api.post('/sticker', async (req, res) => {
    const body = parseOr400(stickerSchema, req.body, res);
    if (!body) return;
    sentLog.noteInteraction(body.userId);
    const url = `${deps.mediaBaseUrl()}/sticker/${body.stickerId}`;
    const { event, msgId } = deps.fromUser(body.userId, 'user_send_sticker', {
      attachments: [{ type: 'sticker', payload: { id: body.stickerId, url } }],
    });
    await deps.deliver(res, event, { msgId });
  });

  api.use('/upload', (err: unknown, _req: express.Request, res: Response, next: express.NextFunction) => {
    if ((err as { type?: string }).type === 'entity.too.large')
      return void badRequest(
        res,
        'SANDBOX_TOO_LARGE',
        `Tệp quá lớn cho hộp thử (tối đa ${Math.round(media.maxFileBytes / 1024 / 1024)} MB)`,
      );
    next(err);
  });
}
