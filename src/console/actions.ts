import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { conversations, tickets } from '../db/schema';
import type { Actor } from '../auth/roles';
import { recordCorrection } from '../classify/corrections';
import { maskPhonesIn } from '../privacy/mask';
import { ApiError } from '../api/errors';
import type { Labelled } from '../classify/taxonomy';
import type { Ticket } from '../tickets/create-ticket';
import { audit } from './audit';
import {
  windowState,
  type CitizenNotifier,
  type CitizenMessageKind,
  type DeadlinePolicy,
  type WindowState,
} from './ports';
import { ticketInScope } from './scope';
import { AT_HOTLINE, AT_UNIT, CLOSED, HOTLINE_UNIT, type Status } from '../tickets/statuses';

/**
 * What operators and units do to a ticket. Each action locks the ticket row, checks the ticket is
 * in a state the action applies to, changes it, writes the audit row and any message to the citizen
 * in the same transaction; the caller enqueues the messages after commit.
 */
export interface ActionDeps {
  db: Db;
  notifier: CitizenNotifier;
  deadlines: DeadlinePolicy;
  /** Unit codes of the routing configuration in force. */
  unitExists(code: string): Promise<boolean>;
}

export interface ActionResult {
  trackingCode: string;
  status: string;
  unitCode: string | null;
  outboxIds: number[];
  window?: WindowState;
}

type Tx = Db;

async function withTicket(
  deps: ActionDeps,
  actor: Actor,
  code: string,
  allowed: readonly Status[],
  fn: (tx: Tx, t: Ticket) => Promise<Partial<Ticket> & { outboxIds?: number[]; window?: WindowState }>,
): Promise<ActionResult> {
  return deps.db.transaction(async (tx) => {
    const t = await ticketInScope(tx as Tx, actor, code, true);
    if (!allowed.includes(t.status as Status)) {
      throw new ApiError(
        'CONFLICT',
        `Phản ánh ${t.trackingCode} đang ở trạng thái "${t.status}", không làm được việc này.`,
      );
    }
    const { outboxIds = [], window, ...changes } = await fn(tx as Tx, t);
    const [row] = await tx
      .update(tickets)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(tickets.id, t.id))
      .returning();
    return { trackingCode: row!.trackingCode, status: row!.status, unitCode: row!.unitCode, outboxIds, window };
  });
}

const OPEN: readonly Status[] = [...AT_HOTLINE, ...AT_UNIT];

async function message(tx: Tx, deps: ActionDeps, t: Ticket, kind: CitizenMessageKind, text: string, key: string) {
  const [conv] = await tx.select().from(conversations).where(eq(conversations.id, t.conversationId));
  const window = windowState(conv?.lastUserMessageAt ?? null);
  // Queued even with the window closed: the send fails as window_closed and the ticket is marked
  // for another channel, which is what operators need to see.
  const outboxIds = await deps.notifier.compose(tx, t, kind, text, key);
  return { outboxIds, window };
}

export const actions = {
  async correct(
    deps: ActionDeps,
    actor: Actor,
    code: string,
    labels: Pick<Labelled, 'category' | 'kind' | 'conduct' | 'emergency'>,
  ) {
    return withTicket(deps, actor, code, OPEN, async (tx, t) => {
      const predicted = (t.routing as { classification?: Record<string, unknown> } | null)?.classification;
      await recordCorrection(tx, { ticketId: t.id, text: t.content, labels, predicted, by: `user:${actor.userId}` });
      await audit(tx, actor, t.id, 'reclassified', {
        from: { category: t.category, kind: t.kind, conduct: t.conduct },
        to: labels,
      });
      return { category: labels.category, kind: labels.kind, conduct: labels.conduct, emergency: labels.emergency };
    });
  },

  async route(deps: ActionDeps, actor: Actor, code: string, unit: string, reason: string) {
    if (!(await deps.unitExists(unit))) throw new ApiError('BAD_REQUEST', `No unit "${unit}".`);
    return withTicket(deps, actor, code, OPEN, async (tx, t) => {
      await audit(tx, actor, t.id, t.unitCode && t.unitCode !== HOTLINE_UNIT ? 'transferred' : 'routed', {
        from: t.unitCode,
        to: unit,
        reason,
      });
      return { unitCode: unit, status: 'da_chuyen_don_vi', ...deps.deadlines.onTransfer(t, new Date()) };
    });
  },

  async merge(deps: ActionDeps, actor: Actor, code: string, into: string, reason: string) {
    if (into === code) throw new ApiError('BAD_REQUEST', 'A ticket cannot be merged into itself.');
    const target = await ticketInScope(deps.db, actor, into).catch(() => {
      throw new ApiError('BAD_REQUEST', `No ticket ${into} to merge into.`);
    });
    if (target.mergedIntoId) throw new ApiError('CONFLICT', `${into} was itself merged into another ticket.`);
    return withTicket(deps, actor, code, OPEN, async (tx, t) => {
      await audit(tx, actor, t.id, 'merged', { into, reason });
      await audit(tx, actor, target.id, 'duplicate_attached', { from: code, reason });
      return { mergedIntoId: target.id, status: 'da_gop' };
    });
  },

  async ineligible(deps: ActionDeps, actor: Actor, code: string, reason: string) {
    return withTicket(deps, actor, code, OPEN, async (tx, t) => {
      await audit(tx, actor, t.id, 'ineligible', { reason });
      return { status: 'khong_du_dieu_kien' };
    });
  },

  async reply(deps: ActionDeps, actor: Actor, code: string, text: string, requestId: string) {
    return withTicket(deps, actor, code, [...OPEN, ...CLOSED], async (tx, t) => {
      const sent = await message(tx, deps, t, 'operator_reply', text, `console-reply:${requestId}`);
      await audit(tx, actor, t.id, 'operator_replied', {
        text,
        outboxIds: sent.outboxIds,
        windowOpen: sent.window.open,
      });
      return sent;
    });
  },

  async accept(deps: ActionDeps, actor: Actor, code: string) {
    return withTicket(deps, actor, code, ['da_phan_loai', 'da_chuyen_don_vi'], async (tx, t) => {
      await audit(tx, actor, t.id, 'accepted');
      return { status: 'dang_xu_ly' };
    });
  },

  async askInfo(deps: ActionDeps, actor: Actor, code: string, question: string, requestId: string) {
    return withTicket(deps, actor, code, AT_UNIT, async (tx, t) => {
      const sent = await message(tx, deps, t, 'ask_info', question, `console-ask:${requestId}`);
      await audit(tx, actor, t.id, 'info_requested', { question, outboxIds: sent.outboxIds });
      return { status: 'cho_bo_sung', ...sent };
    });
  },

  async notOurs(deps: ActionDeps, actor: Actor, code: string, reason: string) {
    return withTicket(deps, actor, code, AT_UNIT, async (tx, t) => {
      await audit(tx, actor, t.id, 'returned_not_ours', { unit: t.unitCode, reason });
      return { status: 'tra_ve_tong_dai', unitCode: HOTLINE_UNIT };
    });
  },

  async answer(
    deps: ActionDeps,
    actor: Actor,
    code: string,
    publicText: string,
    internalNote: string | undefined,
    requestId: string,
  ) {
    return withTicket(deps, actor, code, AT_UNIT, async (tx, t) => {
      // Published anonymised: phone numbers masked; names are the unit's to leave out.
      const published = maskPhonesIn(publicText.normalize('NFC'));
      const sent = await message(tx, deps, t, 'answer', publicText, `console-answer:${requestId}`);
      await audit(tx, actor, t.id, 'answered', { publicAnswer: published, internalNote: internalNote ?? null });
      return { status: 'da_co_ket_qua', publicAnswer: published, answeredAt: new Date(), ...sent };
    });
  },

  async requestExtension(deps: ActionDeps, actor: Actor, code: string, days: number, reason: string) {
    return withTicket(deps, actor, code, AT_UNIT, async (tx, t) => {
      // Recorded for inspectors; TODO(lead): the SLA module decides whether and how the deadline moves.
      await audit(tx, actor, t.id, 'extension_requested', { days, reason, answerDueAt: t.answerDueAt });
      return {};
    });
  },
};
