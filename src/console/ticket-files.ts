import { and, asc, eq } from 'drizzle-orm';
import type { Response } from 'express';
import type { Db } from '../db/client';
import { attachments } from '../db/schema';
import type { Actor } from '../auth/roles';
import { notFound } from '../api/errors';
import { openAttachment, sendOpened } from '../attachments/read';
import { audit } from './audit';
import { ticketInScope } from './scope';

/** A ticket's files as the detail lists them; only downloaded ones have a download path. */
export async function ticketFiles(db: Db, ticketId: number, trackingCode: string, plain: boolean) {
  const rows = await db
    .select()
    .from(attachments)
    .where(eq(attachments.ticketId, ticketId))
    .orderBy(asc(attachments.id));
  return rows.map((a) => ({
    id: a.id,
    kind: a.kind,
    // A file name can carry a name or an ID number: masked for roles that do not see personal data.
    name: plain ? a.originalName : a.originalName && '***',
    mime: a.mime,
    bytes: a.bytes,
    status: a.status,
    refusalReason: a.refusalReason,
    receivedAt: a.createdAt,
    download: a.status === 'downloaded' ? `/api/tickets/${trackingCode}/attachments/${a.id}` : null,
  }));
}

/**
 * Streams one of a ticket's files to a console user: the ticket must be in their scope and the file
 * must belong to it (anything else is 404, like a ticket that does not exist); the download is audited.
 */
export async function sendTicketFile(
  db: Db,
  dataDir: string,
  actor: Actor,
  code: string,
  id: number,
  res: Response,
): Promise<void> {
  const t = await ticketInScope(db, actor, code);
  const [row] = await db
    .select({ id: attachments.id })
    .from(attachments)
    .where(and(eq(attachments.id, id), eq(attachments.ticketId, t.id)));
  const file = row ? await openAttachment(db, dataDir, row.id) : undefined;
  if (!file) throw notFound('No such attachment.');
  await audit(db, actor, t.id, 'attachment_downloaded', { attachmentId: id, bytes: file.bytes });
  await sendOpened(file, res);
}
