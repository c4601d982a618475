import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { tickets } from '../db/schema';
import { actorLabel, type Actor } from '../auth/roles';
import { recordCorrection } from '../classify/corrections';
import { lockConversation } from '../conversation/handle-event';
import { notifyCitizen, type Notified, type NotifyData, type NotifyKind } from '../conversation/notify';
import { maskPhonesIn } from '../privacy/mask';
import { ApiError } from '../api/errors';
import type { Labelled } from '../classify/taxonomy';
import { slaContext, type SlaContext } from '../sla/deadlines';
import { cancelClocks, meetClock, pauseClocks, transferTicket } from '../sla/ticket-clocks';
import type { Ticket } from '../tickets/create-ticket';
import { AT_UNIT, HOTLINE_UNIT, OPEN, type Status } from '../tickets/statuses';
import { audit } from './audit';
import { windowState, type WindowState } from './cs-window';
import { ticketInScope } from './scope';

/**
 * What operators and units do to a ticket. Each action locks the citizen's conversation and then the
 * ticket row (the dialogue takes them in that order too), checks the ticket is in a state the action
 * applies to, changes it, moves its clocks, writes the audit row and any message to the citizen (through
 * the dialogue's notify path, so the conversation follows) in the same transaction; the caller enqueues
 * the messages and syncs the reminders of the moved clocks after commit.
 */
export interface ActionDeps {
  db: Db;
  /** Unit codes of the routing configuration in force. */
  unitExists(code: string): Promise<boolean>;
  sla?: SlaContext;
  now?: () => Date;
}

export interface ActionResult {
  trackingCode: string;
  status: string;
  unitCode: string | null;
  outboxIds: number[];
  /** Clocks that moved: their reminders are resynced after commit. */
  clockIds: number[];
  window?: WindowState;
  /** 'other_channel_needed' when the 7-day window was closed and nothing could be sent. */
  channel?: Notified['channel'];
}

type Tx = Db;
type Changes = Partial<Ticket> & Partial<Pick<ActionResult, 'outboxIds' | 'clockIds' | 'window' | 'channel'>>;
interface Run {
  tx: Tx;
  t: Ticket;
  at: Date;
  /** Writes a message to the citizen through the dialogue (deterministic key per request). */
  notify(kind: NotifyKind, data: Omit<NotifyData, 'key'>, key: string): Promise<Changes>;
}

export async function withTicket(
  deps: ActionDeps,
  actor: Actor,
  code: string,
  allowed: readonly Status[],
  fn: (run: Run) => Promise<Changes>,
): Promise<ActionResult> {
  const at = deps.now?.() ?? new Date();
  return deps.db.transaction(async (tx) => {
    const seen = await ticketInScope(tx, actor, code);
    const conv = await lockConversation(tx, seen.zaloUserId);
    const t = await ticketInScope(tx, actor, code, true);
    if (!allowed.includes(t.status)) {
      throw new ApiError(
        'CONFLICT',
        `Phản ánh ${t.trackingCode} đang ở trạng thái "${t.status}", không làm được việc này.`,
      );
    }
    const notify: Run['notify'] = async (kind, data, key) => {
      const n = await notifyCitizen(tx, t.id, kind, { ...data, key }, at);
      return { outboxIds: n.outboxIds, channel: n.channel, window: windowState(conv.lastUserMessageAt, at) };
    };
    const { outboxIds = [], clockIds = [], window, channel, ...changes } = await fn({ tx, t, at, notify });
    const [row] = await tx
      .update(tickets)
      .set({ ...changes, updatedAt: at })
      .where(eq(tickets.id, t.id))
      .returning();
    return {
      trackingCode: row!.trackingCode,
      status: row!.status,
      unitCode: row!.unitCode,
      outboxIds,
      clockIds,
      window,
      channel,
    };
  });
}

export const actions = {
  async correct(
    deps: ActionDeps,
    actor: Actor,
    code: string,
    labels: Pick<Labelled, 'category' | 'kind' | 'conduct' | 'emergency'>,
  ) {
    return withTicket(deps, actor, code, OPEN, async ({ tx, t }) => {
      const predicted = (t.routing as { classification?: Record<string, unknown> } | null)?.classification;
      await recordCorrection(tx, { ticketId: t.id, text: t.content, labels, predicted, by: `user:${actor.userId}` });
      await audit(tx, actor, t.id, 'reclassified', {
        from: { category: t.category, kind: t.kind, conduct: t.conduct },
        to: labels,
      });
      return { category: labels.category, kind: labels.kind, conduct: labels.conduct, emergency: labels.emergency };
    });
  },

  /** Routing and transfer are one move for the clocks: the new unit's answer clock opens, the receipt stays. */
  async route(deps: ActionDeps, actor: Actor, code: string, unit: string, reason: string, requestId: string) {
    if (!(await deps.unitExists(unit))) throw new ApiError('BAD_REQUEST', `No unit "${unit}".`);
    return withTicket(deps, actor, code, OPEN, async ({ tx, t, at, notify }) => {
      if (t.unitCode === unit) throw new ApiError('CONFLICT', `Phản ánh ${code} đã ở đơn vị ${unit}.`);
      await audit(tx, actor, t.id, t.unitCode && t.unitCode !== HOTLINE_UNIT ? 'transferred_by' : 'routed', {
        from: t.unitCode,
        to: unit,
        reason,
      });
      const clockIds = await transferTicket(
        tx,
        { ticketId: t.id, toUnit: unit, at, actor: actorLabel(actor), reason },
        deps.sla ?? slaContext(),
      );
      // Routed by a person: the hotline's own first response is given.
      clockIds.push(...(await meetClock(tx, t.id, 'first_response', at)));
      const sent = await notify('status_changed', { status: 'da_chuyen_don_vi' }, `route:${requestId}`);
      return { ...sent, clockIds };
    });
  },

  async merge(deps: ActionDeps, actor: Actor, code: string, into: string, reason: string, requestId: string) {
    if (into === code) throw new ApiError('BAD_REQUEST', 'A ticket cannot be merged into itself.');
    const target = await ticketInScope(deps.db, actor, into).catch(() => {
      throw new ApiError('BAD_REQUEST', `No ticket ${into} to merge into.`);
    });
    if (target.mergedIntoId) throw new ApiError('CONFLICT', `${into} was itself merged into another ticket.`);
    return withTicket(deps, actor, code, OPEN, async ({ tx, t, at, notify }) => {
      await audit(tx, actor, t.id, 'merged', { into, reason });
      await audit(tx, actor, target.id, 'duplicate_attached', { from: code, reason });
      const clockIds = await cancelClocks(tx, [t.id], at);
      const sent = await notify('status_changed', { status: 'da_gop' }, `merge:${requestId}`);
      return { mergedIntoId: target.id, status: 'da_gop', clockIds, ...sent };
    });
  },

  async ineligible(deps: ActionDeps, actor: Actor, code: string, reason: string, requestId: string) {
    return withTicket(deps, actor, code, OPEN, async ({ tx, t, at, notify }) => {
      await audit(tx, actor, t.id, 'ineligible', { reason });
      const clockIds = await cancelClocks(tx, [t.id], at);
      const sent = await notify('status_changed', { status: 'khong_du_dieu_kien' }, `ineligible:${requestId}`);
      return { status: 'khong_du_dieu_kien', clockIds, ...sent };
    });
  },

  async accept(deps: ActionDeps, actor: Actor, code: string) {
    return withTicket(deps, actor, code, ['da_phan_loai', 'da_chuyen_don_vi'], async ({ tx, t }) => {
      await audit(tx, actor, t.id, 'accepted');
      return { status: 'dang_xu_ly' };
    });
  },

  /** The clocks stop while the citizen is asked; their reply (added to the ticket) restarts them. */
  async askInfo(deps: ActionDeps, actor: Actor, code: string, question: string, requestId: string) {
    return withTicket(deps, actor, code, AT_UNIT, async ({ tx, t, at, notify }) => {
      const clockIds = await pauseClocks(
        tx,
        { ticketId: t.id, at, actor: actorLabel(actor), reason: 'chờ bổ sung thông tin' },
        deps.sla ?? slaContext(),
      );
      const sent = await notify('ask_info', { text: question }, `ask:${requestId}`);
      await audit(tx, actor, t.id, 'info_requested', { question, outboxIds: sent.outboxIds, channel: sent.channel });
      return { status: 'cho_bo_sung', clockIds, ...sent };
    });
  },

  async notOurs(deps: ActionDeps, actor: Actor, code: string, reason: string) {
    return withTicket(deps, actor, code, AT_UNIT, async ({ tx, t }) => {
      await audit(tx, actor, t.id, 'returned_not_ours', { unit: t.unitCode, reason });
      return { status: 'tra_ve_tong_dai', unitCode: HOTLINE_UNIT };
    });
  },

  /** The answer meets every clock still running before it; the citizen is asked for a rating. */
  async answer(
    deps: ActionDeps,
    actor: Actor,
    code: string,
    publicText: string,
    internalNote: string | undefined,
    requestId: string,
  ) {
    return withTicket(deps, actor, code, AT_UNIT, async ({ tx, t, at, notify }) => {
      // Published anonymised: phone numbers masked; names are the unit's to leave out.
      const published = maskPhonesIn(publicText.normalize('NFC'));
      const sent = await notify('answered', { answer: publicText }, `answer:${requestId}`);
      const clockIds: number[] = [];
      for (const kind of ['first_response', 'forward', 'answer'] as const)
        clockIds.push(...(await meetClock(tx, t.id, kind, at)));
      await audit(tx, actor, t.id, 'answered', {
        publicAnswer: published,
        internalNote: internalNote ?? null,
        channel: sent.channel,
      });
      return { status: 'da_co_ket_qua', publicAnswer: published, answeredAt: at, clockIds, ...sent };
    });
  },

  async requestExtension(deps: ActionDeps, actor: Actor, code: string, days: number, reason: string) {
    return withTicket(deps, actor, code, AT_UNIT, async ({ tx, t }) => {
      // Recorded for inspectors; whether the deadline moves is decided by the SLA policy, not here.
      await audit(tx, actor, t.id, 'extension_requested', { days, reason, answerDueAt: t.answerDueAt });
      return {};
    });
  },
};
