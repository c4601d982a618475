import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Job, Queue } from 'bullmq';
import type { AttachmentConfig } from '../config/env';
import { attachmentNoun, viMedia } from '../conversation/catalogue';
import type { Db } from '../db/client';
import { attachments, conversations } from '../db/schema';
import { errorCode } from '../errors';
import { log } from '../log';
import { enqueueOutbound, putInOutbox } from '../outbound/outbox';
import { parseJob, permanent } from '../queues/job-errors';
import { attachmentJobSchema, type AttachmentJob, type OutboundJob } from '../queues/queues';
import { textMessage } from '../zalo/messages';
import { downloadToTemp } from './download';
import { AttachmentRefusal, type RefusalReason } from './source-guard';
import { putFile, tmpDirOf } from './storage';
import { describeTypes } from './types';

export interface AttachmentWorkerDeps {
  db: Db;
  dataDir: string;
  config: AttachmentConfig;
  /** Exact origins accepted besides Zalo's hosts, private or not: the sandbox stand-in's. */
  origins: readonly string[];
  outbound: Queue<OutboundJob>;
}

/** 10485760 → "10", 2621440 → "2,5" (Vietnamese decimal comma). */
export function megabytes(bytes: number): string {
  return String(Math.round((bytes / (1024 * 1024)) * 10) / 10).replace('.', ',');
}

async function loadRow(db: Db, id: number) {
  const [row] = await db.select().from(attachments).where(eq(attachments.id, id));
  if (!row) throw permanent('ATTACHMENT_NOT_FOUND', `attachment ${id} does not exist`);
  return row;
}

/** Downloads one attachment into the store; a row already settled is left alone (re-runs are no-ops). */
export function createAttachmentProcessor(deps: AttachmentWorkerDeps) {
  const policy = { hosts: deps.config.hosts, origins: deps.origins };
  return async (job: Job<AttachmentJob>): Promise<{ status: string; sha256?: string }> => {
    const { attachmentId } = parseJob(attachmentJobSchema, job.data);
    const row = await loadRow(deps.db, attachmentId);
    if (row.status !== 'pending') return { status: row.status };
    if (row.declaredSize !== null && row.declaredSize > deps.config.maxBytes)
      throw new AttachmentRefusal('too_large', `declared size ${row.declaredSize} is above ${deps.config.maxBytes}`);
    const file = await downloadToTemp(row.originalUrl, {
      policy,
      maxBytes: deps.config.maxBytes,
      types: deps.config.types,
      timeoutMs: deps.config.timeoutMs,
      declaredName: row.originalName,
      tmpDir: tmpDirOf(deps.dataDir),
    });
    const [same] = await deps.db
      .select({ storagePath: attachments.storagePath })
      .from(attachments)
      .where(and(eq(attachments.sha256, file.sha256), eq(attachments.status, 'downloaded')))
      .limit(1);
    const now = new Date();
    const storagePath = await putFile(deps.dataDir, file.tmpPath, file.sha256, now, same?.storagePath);
    await deps.db
      .update(attachments)
      .set({
        status: 'downloaded',
        mime: file.mime,
        bytes: file.bytes,
        sha256: file.sha256,
        storagePath,
        refusalReason: null,
        downloadedAt: now,
        updatedAt: now,
      })
      .where(eq(attachments.id, row.id));
    log.info('attachment stored', { attachmentId: row.id, mime: file.mime, bytes: file.bytes });
    return { status: 'downloaded', sha256: file.sha256 };
  };
}

function replyFor(config: AttachmentConfig, reason: RefusalReason | undefined, kind: string, name: string | null) {
  const what = viMedia.what(kind, name);
  switch (reason) {
    case 'too_large':
      return viMedia.tooLarge(what, megabytes(config.maxBytes), attachmentNoun(kind));
    case 'type_not_allowed':
      return viMedia.typeNotAllowed(what, describeTypes(config.types, viMedia.groupLabels));
    case 'empty':
      return viMedia.empty(what);
    default:
      // A forbidden host or a bad URL is not the citizen's doing: to them it is a failed download.
      return viMedia.failed(what);
  }
}

/**
 * After the last attempt (or a refusal): the row says refused or failed and why, and the citizen is
 * told in Vietnamese, through the outbox, in one transaction.
 */
export async function settleDeadAttachment(deps: AttachmentWorkerDeps, job: Job, e: unknown): Promise<void> {
  const parsed = attachmentJobSchema.safeParse(job.data);
  if (!parsed.success) return;
  const refusal = e instanceof AttachmentRefusal ? e : undefined;
  const outboxIds = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(attachments)
      .set({
        status: refusal ? 'refused' : 'failed',
        refusalReason: refusal?.reason ?? errorCode(e),
        updatedAt: new Date(),
      })
      .where(and(eq(attachments.id, parsed.data.attachmentId), eq(attachments.status, 'pending')))
      .returning();
    if (!row) return [];
    const [conversation] = await tx
      .select({ zaloUserId: conversations.zaloUserId })
      .from(conversations)
      .where(eq(conversations.id, row.conversationId));
    if (!conversation) return [];
    const name = row.originalName ? path.basename(row.originalName).slice(0, 80) : null;
    const text = replyFor(deps.config, refusal?.reason, row.kind, name);
    const id = await putInOutbox(tx, {
      dedupeKey: `att${row.id}:${row.status}`,
      zaloUserId: conversation.zaloUserId,
      ticketId: row.ticketId,
      message: textMessage(text),
    });
    return [id];
  });
  await enqueueOutbound(deps.outbound, outboxIds);
}
