import { z } from 'zod';
import { enqueueOutbound } from '../outbound/outbox';
import { ticketlessActions } from '../console/conversation-actions';
import { listHandoffs } from '../console/handoffs';
import { requestId } from './action-endpoints';
import { HOTLINE, endpoint } from './define';
import { pageQuery } from './ticket-endpoints';

const conversationParams = z.object({ id: z.coerce.number().int().positive() });
type Params = z.infer<typeof conversationParams>;

/*
 * Conversations, not tickets: a citizen who asked for a person before any ticket existed. A ticket's
 * own conversation is also reachable through /tickets/:code/{reply,takeover,hand-back}, audited on the
 * ticket; these are audited on the conversation (conversation_audit).
 */

export const handoffEndpoints = [
  endpoint<Record<string, never>, z.infer<typeof pageQuery>>({
    method: 'get',
    path: '/handoffs',
    summary: 'Operators: conversations waiting for a person (with or without a ticket), oldest request first.',
    roles: HOTLINE,
    query: pageQuery,
    handler: ({ actor, query, services: s }) => listHandoffs(s.db, actor, query),
  }),
  endpoint<Params, Record<string, never>, { text: string }>({
    method: 'post',
    path: '/conversations/:id/reply',
    summary: 'Operator writes to the citizen of a conversation (takes it over; the bot stays silent).',
    roles: HOTLINE,
    params: conversationParams,
    body: z.object({ text: z.string().trim().min(1).max(1800) }),
    handler: async (ctx) => {
      const r = await ticketlessActions.reply(ctx.services.db, ctx.actor, ctx.params.id, ctx.body.text, requestId());
      await enqueueOutbound(ctx.services.deps.queues.outbound, r.outboxIds);
      return r;
    },
  }),
  endpoint<Params, Record<string, never>, Record<string, never>>({
    method: 'post',
    path: '/conversations/:id/hand-back',
    summary: 'Operator hands the conversation back to the bot; the citizen is told.',
    roles: HOTLINE,
    params: conversationParams,
    body: z.object({}),
    handler: async (ctx) => {
      const r = await ticketlessActions.handBack(ctx.services.db, ctx.actor, ctx.params.id, requestId());
      await enqueueOutbound(ctx.services.deps.queues.outbound, r.outboxIds);
      return r;
    },
  }),
];
