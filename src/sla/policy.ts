import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * A province's deadline policy (data/provinces/<code>.sla.json). Every figure is configuration:
 * domain.md §2 gives the legal defaults, and provinces may shorten them or set per-field targets.
 */
const workingDays = z.object({ workingDays: z.number().int().min(0).max(365) });
const period = z.object({ days: z.number().int().min(0).max(365), count: z.enum(['calendar', 'working']) });

const overridable = {
  forward: workingDays,
  answer: period,
  publish: workingDays,
  escalateAfterWorkingDays: z.number().int().min(0).max(60),
};

export const slaPolicySchema = z.object({
  province: z.string().regex(/^[a-z0-9-]{2,40}$/),
  sources: z.array(z.string()).default([]),
  /** The hotline's own target for a person (not the bot) to pick the ticket up. */
  firstResponse: z.object({ workingMinutes: z.number().int().min(1).max(10_000), unit: z.string().min(1) }),
  forward: overridable.forward,
  answer: overridable.answer,
  progressUpdateEveryDays: z.number().int().min(1).max(60),
  publish: overridable.publish,
  reminders: z.object({
    /** Share of the working time after which the unit is warned (0.75 = at three quarters). */
    warnAtFraction: z.number().gt(0).lt(1),
    escalateAfterWorkingDays: overridable.escalateAfterWorkingDays,
    /** The unit that receives escalations (the inspection of public service). */
    escalateTo: z.string().min(1),
  }),
  categories: z
    .record(
      z.string(),
      z.object({
        note: z.string().optional(),
        forward: overridable.forward.optional(),
        answer: overridable.answer.optional(),
        publish: overridable.publish.optional(),
        escalateAfterWorkingDays: overridable.escalateAfterWorkingDays.optional(),
      }),
    )
    .default({}),
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;
export type AnswerPeriod = z.infer<typeof period>;

/** The policy in force for one ticket category (the per-category override over the province default). */
export interface EffectivePolicy {
  firstResponse: SlaPolicy['firstResponse'];
  forward: { workingDays: number };
  answer: AnswerPeriod;
  publish: { workingDays: number };
  progressUpdateEveryDays: number;
  warnAtFraction: number;
  escalateAfterWorkingDays: number;
  escalateTo: string;
}

export function policyFor(policy: SlaPolicy, category?: string | null): EffectivePolicy {
  const o = (category && policy.categories[category]) || {};
  return {
    firstResponse: policy.firstResponse,
    forward: o.forward ?? policy.forward,
    answer: o.answer ?? policy.answer,
    publish: o.publish ?? policy.publish,
    progressUpdateEveryDays: policy.progressUpdateEveryDays,
    warnAtFraction: policy.reminders.warnAtFraction,
    escalateAfterWorkingDays: o.escalateAfterWorkingDays ?? policy.reminders.escalateAfterWorkingDays,
    escalateTo: policy.reminders.escalateTo,
  };
}

export const PROVINCES_DIR = path.resolve(__dirname, '../../data/provinces');

export function loadSlaPolicy(provinceCode: string, dir = PROVINCES_DIR): SlaPolicy {
  const file = path.join(dir, `${provinceCode}.sla.json`);
  return slaPolicySchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}
