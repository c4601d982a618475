import crypto from 'node:crypto';

/**
 * The sandbox's stand-in for Zalo's media CDN: files a person attaches on /sandbox are kept in
 * memory (bounded per file and in total, oldest dropped first) and served at a "media URL" that
 * the webhook event carries, as Zalo's *.zdn.vn URLs would be.
 */
export interface StoredMedia {
  id: string;
  name: string;
  /** The type the browser declared; the hotline itself never trusts it. */
  contentType: string;
  data: Buffer;
  md5: string;
}

export const MEDIA_MAX_FILE_BYTES = 25 * 1024 * 1024;
export const MEDIA_MAX_TOTAL_BYTES = 100 * 1024 * 1024;

export class MediaStore {
  private readonly items = new Map<string, StoredMedia>();
  private total = 0;

  constructor(
    readonly maxFileBytes = MEDIA_MAX_FILE_BYTES,
    readonly maxTotalBytes = MEDIA_MAX_TOTAL_BYTES,
  ) {}

  /** Keeps a file and returns it with its id; throws RangeError above the per-file limit. */
  put(data: Buffer, name: string, contentType: string): StoredMedia {
    if (data.length > this.maxFileBytes) throw new RangeError(`file is larger than ${this.maxFileBytes} bytes`);
    const item: StoredMedia = {
      id: crypto.randomBytes(12).toString('hex'),
      name,
      contentType,
      data,
      md5: crypto.createHash('md5').update(data).digest('hex'),
    };
    this.items.set(item.id, item);
    this.total += data.length;
    // Maps iterate in insertion order: the first keys are the oldest.
    for (const [id, old] of this.items) {
      if (this.total <= this.maxTotalBytes) break;
      this.items.delete(id);
      this.total -= old.data.length;
    }
    return item;
  }

  get(id: string): StoredMedia | undefined {
    return this.items.get(id);
  }

  get totalBytes(): number {
    return this.total;
  }
}

/** Stickers the sandbox page offers; Zalo sends a sticker as an id and an image URL. */
export const SANDBOX_STICKERS: Readonly<Record<string, { emoji: string; label: string }>> = {
  '46991': { emoji: '👍', label: 'Thích' },
  '46992': { emoji: '🙏', label: 'Cảm ơn' },
  '46993': { emoji: '😊', label: 'Vui' },
  '46994': { emoji: '😢', label: 'Buồn' },
};

/** A sticker as a small SVG (our own markup; the emoji is from the fixed table above). */
export function stickerSvg(id: string): string {
  const emoji = SANDBOX_STICKERS[id]?.emoji ?? '🙂';
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">' +
    `<text x="48" y="66" font-size="56" text-anchor="middle">${emoji}</text></svg>`
  );
}
