import { eq } from 'drizzle-orm';
import type { Job } from 'bullmq';
import type { DialogueSettings } from '../src/config/env';
import type { Db } from '../src/db/client';
import { conversations } from '../src/db/schema';
import { lockConversation, runStep } from '../src/conversation/handle-event';
import { draftText } from '../src/conversation/machine/content';
import type { Draft } from '../src/conversation/machine/types';
import { enqueueOutbound } from '../src/outbound/outbox';
import { parseJob } from '../src/queues/job-errors';
import { dialogueJobSchema, type DialogueJob, type Queues } from '../src/queues/queues';
import type { Names } from '../src/routing/names';
import { pinOf, type Understand } from '../src/understand/understand';

export interface DialogueDeps {
  db: Db;
  queues: Pick<Queues, 'outbound'>;
  understand?: Understand;
  settings: DialogueSettings;
  names: () => Names;
}

/**
 * A burst timer fired: the citizen paused. The whole draft is understood again (classification and
 * routing of everything written so far), then the dialogue asks what is missing or shows the summary.
 */
export function createDialogueProcessor(deps: DialogueDeps) {
  return async (job: Job<DialogueJob>): Promise<{ status: string }> => {
    const { zaloUserId, rev } = parseJob(dialogueJobSchema, job.data);
    const [row] = await deps.db.select().from(conversations).where(eq(conversations.zaloUserId, zaloUserId));
    const draft = row?.stateData.draft as Draft | undefined;
    // A newer addition has its own timer; this one is done.
    if (!draft || draft.rev !== rev || draft.summaryRev === rev) return { status: 'superseded' };
    const text = draftText(draft);
    const understanding =
      text && deps.understand ? await deps.understand(text, draft.pin ?? pinOf(row!.stateData)) : undefined;
    const outboxIds = await deps.db.transaction(async (tx) => {
      const conversation = await lockConversation(tx, zaloUserId, true);
      const { applied } = await runStep(
        tx,
        conversation,
        { type: 'burst_end', rev, understanding },
        { keyPrefix: String(job.id), at: new Date(), ctx: { settings: deps.settings, names: deps.names() } },
      );
      return applied.outboxIds;
    });
    await enqueueOutbound(deps.queues.outbound, outboxIds);
    return { status: outboxIds.length ? 'answered' : 'superseded' };
  };
}
