import crypto from 'node:crypto';
import { z } from 'zod';
import { CATEGORY_CODES, KIND_CODES } from '../classify/taxonomy';
import { knownUnits } from '../auth/users';
import { enqueueOutbound } from '../outbound/outbox';
import { actions, type ActionDeps, type ActionResult } from '../console/actions';
import { keepDeadlines } from '../console/ports';
import { ticketDetail } from '../console/ticket-detail';
import { listQuerySchema, listTickets, listTriage, type ListQuery } from '../console/ticket-list';
import { HOTLINE, STAFF, UNIT, endpoint, reasonBody, trackingCodeParams, type Ctx } from './define';
import type { ApiServices } from './router';

type Code = z.infer<typeof trackingCodeParams>;

function actionDeps(s: ApiServices): ActionDeps {
  return {
    db: s.db,
    notifier: s.deps.notifier,
    deadlines: keepDeadlines,
    unitExists: async (code) => (await knownUnits(s.db, s.deps.provinceCode)).some((u) => u.code === code),
  };
}

/** Messages written by an action go to the outbound queue once the action's transaction committed. */
async function sent(s: ApiServices, r: ActionResult) {
  await enqueueOutbound(s.deps.queues.outbound, r.outboxIds);
  return r;
}

const requestId = () => crypto.randomUUID();

function act<B>(
  path: string,
  summary: string,
  roles: typeof HOTLINE,
  body: z.ZodType<B>,
  run: (d: ActionDeps, ctx: Ctx<Code, unknown, B>) => Promise<ActionResult>,
) {
  return endpoint<Code, Record<string, never>, B>({
    method: 'post',
    path: `/tickets/:code/${path}`,
    summary,
    roles,
    params: trackingCodeParams,
    body,
    handler: async (ctx) => sent(ctx.services, await run(actionDeps(ctx.services), ctx as Ctx<Code, unknown, B>)),
  });
}

const pageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const text = (max: number) => z.string().trim().min(1).max(max);

export const ticketEndpoints = [
  endpoint({
    method: 'get',
    path: '/units',
    summary: 'The units of the routing configuration in force.',
    roles: STAFF,
    handler: async ({ services: s }) => ({
      units: (await knownUnits(s.db, s.deps.provinceCode)).map((u) => ({ code: u.code, name: u.name, type: u.type })),
    }),
  }),
  endpoint<Record<string, never>, ListQuery>({
    method: 'get',
    path: '/tickets',
    summary: 'Tickets, newest first (order=oldest for work by age), filtered, in pages (nextCursor).',
    roles: STAFF,
    query: listQuerySchema,
    handler: ({ actor, query, services: s }) => listTickets(s.db, actor, query),
  }),
  endpoint<Code>({
    method: 'get',
    path: '/tickets/:code',
    summary: 'One ticket with its transcript, attachments and audit trail (the view is recorded).',
    roles: STAFF,
    params: trackingCodeParams,
    handler: ({ actor, params, services: s }) => ticketDetail(s.db, actor, params.code),
  }),
  endpoint<Record<string, never>, z.infer<typeof pageQuery>>({
    method: 'get',
    path: '/triage',
    summary: 'Operators: tickets not routed with confidence, sent back, or handed over; oldest first.',
    roles: HOTLINE,
    query: pageQuery,
    handler: ({ query, services: s }) => listTriage(s.db, query),
  }),
  act(
    'classification',
    'Correct category/kind/conduct (becomes a training example).',
    HOTLINE,
    z.object({
      category: z.enum(CATEGORY_CODES as [string, ...string[]]),
      kind: z.enum(KIND_CODES as [string, ...string[]]),
      conduct: z.boolean(),
      emergency: z.boolean().default(false),
    }),
    (d, { actor, params, body }) => actions.correct(d, actor, params.code, body as never),
  ),
  act('route', 'Route or transfer to a unit, with a reason.', HOTLINE, reasonBody.extend({ unit: text(80) }), (d, c) =>
    actions.route(d, c.actor, c.params.code, c.body.unit, c.body.reason),
  ),
  act(
    'merge',
    'Merge this duplicate into another ticket.',
    HOTLINE,
    reasonBody.extend({ into: trackingCodeParams.shape.code }),
    (d, c) => actions.merge(d, c.actor, c.params.code, c.body.into, c.body.reason),
  ),
  act('ineligible', 'Close as "không đủ điều kiện", with a reason.', HOTLINE, reasonBody, (d, c) =>
    actions.ineligible(d, c.actor, c.params.code, c.body.reason),
  ),
  act(
    'reply',
    'Operator reply to the citizen (outbound queue; the 7-day window is reported).',
    HOTLINE,
    z.object({ text: text(1800) }),
    (d, c) => actions.reply(d, c.actor, c.params.code, c.body.text, requestId()),
  ),
  act('accept', 'Unit: accept the ticket.', UNIT, z.object({}), (d, c) => actions.accept(d, c.actor, c.params.code)),
  act('ask-info', 'Unit: ask the citizen for more information.', UNIT, z.object({ question: text(1500) }), (d, c) =>
    actions.askInfo(d, c.actor, c.params.code, c.body.question, requestId()),
  ),
  act('not-ours', 'Unit: send back to the hotline as not ours, with a reason.', UNIT, reasonBody, (d, c) =>
    actions.notOurs(d, c.actor, c.params.code, c.body.reason),
  ),
  act(
    'answer',
    'Unit: answer (public answer, published anonymised; internal note kept in the audit trail).',
    UNIT,
    z.object({ publicAnswer: text(1800), internalNote: z.string().trim().max(4000).optional() }),
    (d, c) => actions.answer(d, c.actor, c.params.code, c.body.publicAnswer, c.body.internalNote, requestId()),
  ),
  act(
    'extension',
    'Unit: request an extension, with a reason (visible to inspectors).',
    UNIT,
    reasonBody.extend({ days: z.number().int().min(1).max(30) }),
    (d, c) => actions.requestExtension(d, c.actor, c.params.code, c.body.days, c.body.reason),
  ),
];
