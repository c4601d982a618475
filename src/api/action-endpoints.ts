import crypto from 'node:crypto';
import { z } from 'zod';
import { CATEGORY_CODES, KIND_CODES } from '../classify/taxonomy';
import { knownUnits } from '../auth/users';
import { enqueueOutbound } from '../outbound/outbox';
import { syncReminders } from '../sla/reminders';
import { log } from '../log';
import { actions, type ActionDeps, type ActionResult } from '../console/actions';
import { conversationActions } from '../console/conversation-actions';
import { HOTLINE, UNIT, endpoint, reasonBody, trackingCodeParams, type Ctx } from './define';
import type { ApiServices } from './router';

type Code = z.infer<typeof trackingCodeParams>;

function actionDeps(s: ApiServices): ActionDeps {
  return {
    db: s.db,
    unitExists: async (code) => (await knownUnits(s.db, s.deps.provinceCode)).some((u) => u.code === code),
  };
}

/**
 * After the action's transaction committed: its messages go to the outbound queue and the reminders
 * of the clocks it moved are rescheduled (the sla sweep catches up if this fails half-way).
 */
export async function afterCommit(s: ApiServices, r: ActionResult) {
  await enqueueOutbound(s.deps.queues.outbound, r.outboxIds);
  if (r.clockIds.length)
    await syncReminders(s.db, s.deps.queues.sla, { clockIds: r.clockIds }).catch((error: unknown) =>
      log.warn('reminders not synced; the sla sweep will', { error, trackingCode: r.trackingCode }),
    );
  const { clockIds: _clocks, ...shown } = r;
  return shown;
}

export const requestId = () => crypto.randomUUID();

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
    handler: async (ctx) =>
      afterCommit(ctx.services, await run(actionDeps(ctx.services), ctx as Ctx<Code, unknown, B>)),
  });
}

const text = (max: number) => z.string().trim().min(1).max(max);
const empty = z.object({});

export const actionEndpoints = [
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
  act(
    'route',
    "Route or transfer to a unit, with a reason (the new unit's answer clock opens; the receipt date is kept).",
    HOTLINE,
    reasonBody.extend({ unit: text(80) }),
    (d, c) => actions.route(d, c.actor, c.params.code, c.body.unit, c.body.reason, requestId()),
  ),
  act(
    'merge',
    'Merge this duplicate into another ticket.',
    HOTLINE,
    reasonBody.extend({ into: trackingCodeParams.shape.code }),
    (d, c) => actions.merge(d, c.actor, c.params.code, c.body.into, c.body.reason, requestId()),
  ),
  act('ineligible', 'Close as "không đủ điều kiện", with a reason.', HOTLINE, reasonBody, (d, c) =>
    actions.ineligible(d, c.actor, c.params.code, c.body.reason, requestId()),
  ),
  act(
    'reply',
    'Operator reply to the citizen: takes the conversation over (the bot goes silent) and sends through the outbound queue; the 7-day window is reported.',
    HOTLINE,
    z.object({ text: text(1800) }),
    (d, c) => conversationActions.reply(d, c.actor, c.params.code, c.body.text, requestId()),
  ),
  act('takeover', 'Operator takes the Zalo conversation over: the bot stays silent.', HOTLINE, empty, (d, c) =>
    conversationActions.takeOver(d, c.actor, c.params.code),
  ),
  act('hand-back', 'Operator hands the conversation back to the bot; the citizen is told.', HOTLINE, empty, (d, c) =>
    conversationActions.handBack(d, c.actor, c.params.code, requestId()),
  ),
  act('accept', 'Unit: accept the ticket.', UNIT, empty, (d, c) => actions.accept(d, c.actor, c.params.code)),
  act(
    'ask-info',
    "Unit: ask the citizen for more information (clocks pause; the citizen's reply is added to the ticket and restarts them).",
    UNIT,
    z.object({ question: text(1500) }),
    (d, c) => actions.askInfo(d, c.actor, c.params.code, c.body.question, requestId()),
  ),
  act('not-ours', 'Unit: send back to the hotline as not ours, with a reason.', UNIT, reasonBody, (d, c) =>
    actions.notOurs(d, c.actor, c.params.code, c.body.reason),
  ),
  act(
    'answer',
    'Unit: answer (public answer, published anonymised; internal note kept in the audit trail); the citizen is asked for a rating.',
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
