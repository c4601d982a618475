import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { eq } from 'drizzle-orm';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/client';
import { attachments } from '../db/schema';
import { absolutePath } from './storage';
import { MIME } from './types';

export interface OpenedAttachment {
  stream: Readable;
  mime: string;
  bytes: number;
  /** A safe download name: the original one cleaned, or attachment-<id>.<ext>. */
  filename: string;
}

const EXT_OF_MIME = new Map(Object.entries(MIME).map(([ext, mime]) => [mime, ext]));

/** Keeps letters (any script), digits, spaces and . _ - ( ); drops paths and control characters. */
export function safeFilename(original: string | null | undefined, id: number, mime: string): string {
  const ext = EXT_OF_MIME.get(mime) ?? 'bin';
  const base = (original ?? '')
    .normalize('NFC')
    .split(/[\\/]/)
    .pop()!
    .replace(/[^\p{L}\p{N} ._()-]/gu, '_')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 120);
  return base ? base : `attachment-${id}.${ext}`;
}

/** RFC 6266: an ASCII fallback and the UTF-8 name (Vietnamese file names keep their diacritics). */
export function contentDisposition(filename: string): string {
  const ascii = filename
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Opens a downloaded attachment, or undefined when there is none with that id (or its file is gone). */
export async function openAttachment(db: Db, dataDir: string, id: number): Promise<OpenedAttachment | undefined> {
  const [row] = await db.select().from(attachments).where(eq(attachments.id, id));
  if (!row || row.status !== 'downloaded' || !row.storagePath || !row.mime) return undefined;
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(absolutePath(dataDir, row.storagePath), 'r');
  } catch {
    return undefined;
  }
  const { size } = await handle.stat();
  return {
    stream: handle.createReadStream(),
    mime: row.mime,
    bytes: size,
    filename: safeFilename(row.originalName, row.id, row.mime),
  };
}

const idParam = z.coerce.number().int().positive();

/** Always a download, never rendered inline: a citizen's file is untrusted content. */
export async function sendOpened(file: OpenedAttachment, res: Response): Promise<void> {
  res.status(200).set({
    'Content-Type': file.mime,
    'Content-Length': String(file.bytes),
    'Content-Disposition': contentDisposition(file.filename),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
  await pipeline(file.stream, res).catch(() => undefined);
}

/**
 * An express handler serving `:id` for the console (the route, and its authentication, belong to
 * the console). Always a download, never rendered inline: a citizen's file is untrusted content.
 */
export function serveAttachment(db: Db, dataDir: string) {
  return async (req: Request, res: Response): Promise<void> => {
    const id = idParam.safeParse(req.params.id);
    const file = id.success ? await openAttachment(db, dataDir, id.data) : undefined;
    if (!file) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such attachment.' } });
      return;
    }
    await sendOpened(file, res);
  };
}
