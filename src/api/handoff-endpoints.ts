import crypto from 'node:crypto';
import { z } from 'zod';
import { handBack, handOffToOperator } from '../conversation/notify';
import { enqueueOutbound } from '../outbound/outbox';
import { audit } from '../console/audit';
import { ticketInScope } from '../console/scope';
import type { Db } from '../db/client';
import { HOTLINE, endpoint, trackingCodeParams } from './define';

type Code = z.infer<typeof trackingCodeParams>;

/**
 * An operator takes the citizen's Zalo conversation (the bot falls silent, emergencies excepted) and
 * hands it back when done (the citizen is told, the bot answers again). Both are recorded on the ticket.
 */
export const handoffEndpoints = [
  endpoint<Code>({
    method: 'post',
    path: '/tickets/:code/take-over',
    summary: "Operators: take the ticket's Zalo conversation from the bot.",
    roles: HOTLINE,
    params: trackingCodeParams,
    handler: async ({ actor, params, services: s }) => {
      await s.db.transaction(async (tx) => {
        const t = await ticketInScope(tx as Db, actor, params.code, true);
        await handOffToOperator(tx as Db, t.zaloUserId, `console:${actor.userId}`);
        await audit(tx as Db, actor, t.id, 'taken_over');
      });
      return { trackingCode: params.code, conversation: 'handoff' };
    },
  }),
  endpoint<Code>({
    method: 'post',
    path: '/tickets/:code/hand-back',
    summary: "Operators: give the ticket's Zalo conversation back to the bot; the citizen is told.",
    roles: HOTLINE,
    params: trackingCodeParams,
    handler: async ({ actor, params, services: s }) => {
      const ids = await s.db.transaction(async (tx) => {
        const t = await ticketInScope(tx as Db, actor, params.code, true);
        const outboxIds = await handBack(tx as Db, t.zaloUserId, crypto.randomUUID());
        await audit(tx as Db, actor, t.id, 'handed_back', { outboxIds });
        return outboxIds;
      });
      await enqueueOutbound(s.deps.queues.outbound, ids);
      return { trackingCode: params.code, conversation: 'idle', outboxIds: ids };
    },
  }),
];
