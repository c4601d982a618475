import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { conversations, tickets } from '../db/schema';
import type { Actor } from '../auth/roles';
import { handBack, handOffToOperator, operatorSays } from '../conversation/notify';
import { notFound } from '../api/errors';
import { meetClock } from '../sla/ticket-clocks';
import { STATUSES } from '../tickets/statuses';
import { audit, auditConversation } from './audit';
import { windowState } from './cs-window';
import { withTicket, type ActionDeps } from './actions';

/**
 * An operator holding a citizen's conversation: while they hold it the bot stays silent (emergencies
 * excepted, the dialogue sees to that), and hand-back returns the citizen to the bot with a message.
 * Replies go through the dialogue's notify path and the outbound queue like every other message.
 */
export const conversationActions = {
  async takeOver(deps: ActionDeps, actor: Actor, code: string) {
    return withTicket(deps, actor, code, STATUSES, async ({ tx, t, at }) => {
      await handOffToOperator(tx, t.zaloUserId, 'operator', at);
      await audit(tx, actor, t.id, 'taken_over');
      return {};
    });
  },

  /** Replying takes the conversation over: the citizen's answer must reach the operator, not the bot. */
  async reply(deps: ActionDeps, actor: Actor, code: string, text: string, requestId: string) {
    return withTicket(deps, actor, code, STATUSES, async ({ tx, t, at, notify }) => {
      await handOffToOperator(tx, t.zaloUserId, 'operator', at);
      const sent = await notify('operator_reply', { text }, `reply:${requestId}`);
      // A person answered: the hotline's first response is given.
      const clockIds = await meetClock(tx, t.id, 'first_response', at);
      await audit(tx, actor, t.id, 'operator_replied', {
        text,
        outboxIds: sent.outboxIds,
        windowOpen: sent.window?.open ?? false,
        channel: sent.channel,
      });
      return { ...sent, clockIds };
    });
  },

  async handBack(deps: ActionDeps, actor: Actor, code: string, requestId: string) {
    return withTicket(deps, actor, code, STATUSES, async ({ tx, t, at }) => {
      const outboxIds = await handBack(tx, t.zaloUserId, requestId, at);
      await audit(tx, actor, t.id, 'handed_back');
      return { outboxIds, needsOperatorAt: null };
    });
  },
};

/** The same for a citizen who asked for a person before any ticket existed (by conversation id). */
export const ticketlessActions = {
  async reply(db: Db, actor: Actor, conversationId: number, text: string, requestId: string, now = new Date()) {
    return db.transaction(async (tx) => {
      const c = await conversationById(tx, conversationId);
      await handOffToOperator(tx, c.zaloUserId, 'operator', now);
      const sent = await operatorSays(tx, c.zaloUserId, text, requestId, now);
      await auditConversation(tx, actor, [c.id], 'operator_replied', {
        outboxIds: sent.outboxIds,
        channel: sent.channel,
      });
      return { conversationId, ...sent, window: windowState(c.lastUserMessageAt, now) };
    });
  },

  async handBack(db: Db, actor: Actor, conversationId: number, requestId: string, now = new Date()) {
    return db.transaction(async (tx) => {
      const c = await conversationById(tx, conversationId);
      const outboxIds = await handBack(tx, c.zaloUserId, requestId, now);
      await auditConversation(tx, actor, [c.id], 'handed_back');
      await tx.update(tickets).set({ needsOperatorAt: null }).where(eq(tickets.zaloUserId, c.zaloUserId));
      return { conversationId, outboxIds };
    });
  },
};

async function conversationById(tx: Db, id: number) {
  const [c] = await tx.select().from(conversations).where(eq(conversations.id, id));
  if (!c) throw notFound();
  return c;
}
