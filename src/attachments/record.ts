import { and, eq, gte, isNull } from 'drizzle-orm';
import type { JobsOptions, Queue } from 'bullmq';
import { z } from 'zod';
import type { Db } from '../db/client';
import { attachments } from '../db/schema';
import { ATTACHMENT_JOB_NAME, attachmentJobId, type AttachmentJob } from '../queues/queues';

/** The attachment kinds whose bytes we keep (locations, stickers, links and cards carry no file). */
export const DOWNLOADABLE_KINDS = ['image', 'gif', 'file', 'audio', 'video'] as const;

const size = z
  .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
  .optional()
  .catch(undefined);
const incomingSchema = z.looseObject({
  type: z.string(),
  payload: z
    .looseObject({
      url: z.string().min(1).max(4000).optional().catch(undefined),
      name: z.string().max(500).optional().catch(undefined),
      size,
    })
    .optional()
    .catch(undefined),
});
export type IncomingAttachment = z.input<typeof incomingSchema>;

/** `message.attachments` of a user_send_* event, as given (anything malformed is skipped later). */
export function attachmentsOf(event: Record<string, unknown>): unknown[] {
  const list = (event.message as { attachments?: unknown } | undefined)?.attachments;
  return Array.isArray(list) ? list : [];
}

export type AttachmentRow = typeof attachments.$inferSelect;

export interface AttachmentJobSpec {
  name: string;
  data: AttachmentJob;
  opts: JobsOptions & { jobId: string };
}

export interface RecordInput {
  conversationId: number;
  inboundEventId: number;
  ticketId: number | null;
  /** The event's `message.attachments`, unparsed: positions are their indexes there. */
  attachments: readonly unknown[];
}

/**
 * Records an event's downloadable attachments inside the caller's transaction and returns the rows
 * and the jobs to add once it commits (enqueueAttachmentDownloads). Safe to run again for the same
 * event: rows are unique per (event, position) and jobs per `att:<event>:<position>`.
 */
export async function recordAttachments(
  tx: Db,
  input: RecordInput,
): Promise<{ rows: AttachmentRow[]; jobs: AttachmentJobSpec[] }> {
  const values = input.attachments.flatMap((raw, position) => {
    const parsed = incomingSchema.safeParse(raw);
    if (!parsed.success || !(DOWNLOADABLE_KINDS as readonly string[]).includes(parsed.data.type)) return [];
    const p = parsed.data.payload;
    if (!p?.url) return [];
    return [
      {
        conversationId: input.conversationId,
        inboundEventId: input.inboundEventId,
        ticketId: input.ticketId,
        position,
        kind: parsed.data.type,
        originalUrl: p.url,
        originalName: p.name?.normalize('NFC') ?? null,
        declaredSize: p.size !== undefined && Number.isSafeInteger(p.size) ? p.size : null,
      },
    ];
  });
  if (!values.length) return { rows: [], jobs: [] };
  await tx.insert(attachments).values(values).onConflictDoNothing();
  const rows = await tx
    .select()
    .from(attachments)
    .where(eq(attachments.inboundEventId, input.inboundEventId))
    .orderBy(attachments.position);
  const jobs = rows
    .filter((r) => r.status === 'pending')
    .map((r) => ({
      name: ATTACHMENT_JOB_NAME,
      data: { attachmentId: r.id },
      opts: { jobId: attachmentJobId(r.inboundEventId, r.position) },
    }));
  return { rows, jobs };
}

/** Adds the download jobs after the transaction committed (a job id already present is a no-op). */
export async function enqueueAttachmentDownloads(
  queue: Queue<AttachmentJob>,
  jobs: readonly AttachmentJobSpec[],
): Promise<void> {
  if (jobs.length) await queue.addBulk([...jobs]);
}

/**
 * Gives a ticket the conversation's attachments that belong to none yet, sent since `since`
 * (pictures sent before the text that opened the ticket). Returns how many were linked.
 */
export async function linkAttachmentsToTicket(
  tx: Db,
  input: { conversationId: number; ticketId: number; since: Date },
): Promise<number> {
  const linked = await tx
    .update(attachments)
    .set({ ticketId: input.ticketId, updatedAt: new Date() })
    .where(
      and(
        eq(attachments.conversationId, input.conversationId),
        isNull(attachments.ticketId),
        gte(attachments.createdAt, input.since),
      ),
    )
    .returning({ id: attachments.id });
  return linked.length;
}
