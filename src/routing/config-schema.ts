import { z } from 'zod';
import { CATEGORY_CODES, KIND_CODES, type Category, type Kind } from '../classify/taxonomy';
import { normalise } from '../classify/normalise';
import { formatPath, JsonSyntaxError, parseJsonWithPositions, type JsonPath } from './json-positions';

/**
 * A province's routing configuration: who handles what is data an administrator edits (it changed
 * three times in 2025), validated here both by the CLI and before a version is stored.
 */
const code = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and "-"');
const text = z.string().trim().min(1);
const category = z.enum(CATEGORY_CODES as [Category, ...Category[]]);
const kind = z.enum(KIND_CODES as [Kind, ...Kind[]]);

export const UNIT_TYPES = ['department', 'vertical', 'commune', 'inspection', 'hotline', 'office'] as const;
export const COMMUNE_TYPES = ['phuong', 'xa', 'dac_khu'] as const;

// Lists come from another file maintained by hand, which carries extra facts (admin codes, sources
// of a centre): they are kept, not refused. Rules are strict: a misspelt "keyword" would otherwise
// silently turn a specific rule into the general rule of its category.
const unitSchema = z.looseObject({
  code,
  name: text,
  type: z.enum(UNIT_TYPES),
  aliases: z.array(text).default([]),
});

const communeSchema = z.looseObject({
  code,
  name: text,
  type: z.enum(COMMUNE_TYPES),
  formerlyOf: text.nullish(),
  mergedFrom: z.array(text).default([]),
  aliases: z.array(text).default([]),
  centre: z
    .strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
    .nullish()
    .transform((c) => c ?? null),
});

const ruleSchema = z.strictObject({
  id: code,
  category,
  keywords: z.array(text).min(1).optional(),
  communeLevel: z.boolean().optional(),
  unit: code.optional(),
  note: text.optional(),
});

const copyRuleSchema = z.strictObject({
  id: code,
  when: z
    .strictObject({ conduct: z.boolean().optional(), kind: kind.optional() })
    .refine((w) => w.conduct !== undefined || w.kind !== undefined, 'give "conduct" or "kind"'),
  unit: code,
  note: text.optional(),
});

const sourceSchema = z.union([text, z.looseObject({ title: text, url: z.string().optional() })]);

export const routingConfigSchema = z.strictObject({
  province: z.strictObject({ code, name: text }),
  effectiveFrom: z.string().optional(),
  generated: z.looseObject({ by: text, from: z.array(text) }).optional(),
  sources: z.array(sourceSchema).min(1, 'name the documents the lists come from'),
  notes: z.array(text).optional(),
  units: z.array(unitSchema).min(1),
  communes: z.array(communeSchema),
  communeMatching: z
    .strictObject({
      /** Names that are also ordinary words ("lương tâm", "an ninh"): matched only after "xã"/"phường". */
      prefixOnly: z.array(text).default([]),
      /** A location pin farther than this from every commune centre gives no commune; 0 turns pins off. */
      locationMaxKm: z.number().min(0).optional(),
    })
    .optional(),
  rules: z.array(ruleSchema).min(1),
  copyRules: z.array(copyRuleSchema).default([]),
  triage: z.strictObject({ unit: code }),
});

export type RoutingConfig = z.infer<typeof routingConfigSchema>;
export type Unit = RoutingConfig['units'][number];
export type Commune = RoutingConfig['communes'][number];
export type Rule = RoutingConfig['rules'][number];
export type CopyRule = RoutingConfig['copyRules'][number];

export const communeUnitCode = (communeCode: string) => `ubnd-${communeCode}`;

export interface RoutingProblem {
  line: number;
  column?: number;
  /** Where in the document, when the problem is about a value (absent for syntax errors). */
  path?: JsonPath;
  reason: string;
}

export class RoutingConfigError extends Error {
  readonly code = 'ROUTING_CONFIG_INVALID';
  constructor(
    readonly fileName: string,
    readonly problems: RoutingProblem[],
  ) {
    super(problems.map((p) => `${fileName}:${p.line}: ${p.reason}`).join('\n'));
    this.name = 'RoutingConfigError';
  }
}

interface PathProblem {
  path: JsonPath;
  reason: string;
}

/**
 * Checks that span several lists: the schema sees one value at a time. `order` checks are skipped on
 * a document the schema refused, where a misspelt key would make them report rules out of order.
 */
export function crossCheck(config: RoutingConfig, problems: PathProblem[] = [], order = true): PathProblem[] {
  const unique = (list: string, items: Array<{ id?: string; code?: string }>, key: 'id' | 'code') => {
    const seen = new Set<string>();
    (items ?? []).forEach((item, i) => {
      const value = item[key]!;
      if (seen.has(value)) problems.push({ path: [list, i, key], reason: `${key} "${value}" is used twice` });
      seen.add(value);
    });
  };
  unique('units', config.units, 'code');
  unique('communes', config.communes, 'code');
  unique('rules', config.rules, 'id');
  unique('copyRules', config.copyRules, 'id');

  const units = new Map(config.units.map((u) => [u.code, u]));
  const known = (path: JsonPath, unit: string) => {
    if (!units.has(unit)) problems.push({ path, reason: `unit "${unit}" is not defined in units` });
  };
  const triage = units.get(config.triage.unit);
  known(['triage', 'unit'], config.triage.unit);
  if (triage && triage.type !== 'hotline')
    problems.push({
      path: ['triage', 'unit'],
      reason: `the triage unit must be of type "hotline", not "${triage.type}"`,
    });
  (config.copyRules ?? []).forEach((r, i) => known(['copyRules', i, 'unit'], r.unit));

  const general = new Map<Category, string>();
  config.rules.forEach((r, i) => {
    if (r.unit !== undefined) known(['rules', i, 'unit'], r.unit);
    if (r.communeLevel && r.unit !== undefined)
      problems.push({ path: ['rules', i], reason: 'a rule is either commune-level or names a unit, not both' });
    if (!r.communeLevel && r.unit === undefined)
      problems.push({ path: ['rules', i], reason: 'a rule needs "unit" or "communeLevel": true' });
    r.keywords?.forEach((k, j) => {
      if (!normalise(k).folded) problems.push({ path: ['rules', i, 'keywords', j], reason: 'keyword has no letters' });
    });
    // First match wins: anything after the general rule of a category can never fire.
    const earlier = general.get(r.category);
    if (!order) return;
    if (earlier)
      problems.push({
        path: ['rules', i],
        reason: `rule "${r.id}" can never apply: the general rule "${earlier}" of ${r.category} comes before it`,
      });
    else if (!r.keywords) general.set(r.category, r.id);
  });
  for (const c of CATEGORY_CODES)
    if (order && !general.has(c))
      problems.push({ path: ['rules'], reason: `category ${c} has no general rule (a rule without keywords)` });

  config.communes.forEach((c, i) => {
    const unit = units.get(communeUnitCode(c.code));
    if (!unit)
      problems.push({ path: ['communes', i, 'code'], reason: `no unit "${communeUnitCode(c.code)}" for this commune` });
    else if (unit.type !== 'commune')
      problems.push({ path: ['communes', i, 'code'], reason: `unit "${unit.code}" must be of type "commune"` });
  });
  return problems;
}

/** Parses and validates a configuration file; throws RoutingConfigError with a line for each problem. */
export function parseRoutingConfig(source: string, fileName: string): RoutingConfig {
  let located;
  try {
    located = parseJsonWithPositions(source);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    throw new RoutingConfigError(fileName, [{ line: e.line, column: e.column, reason: `invalid JSON: ${e.reason}` }]);
  }
  const at = (path: JsonPath, reason: string): RoutingProblem => {
    const p = located.positionOf(path);
    return { line: p.line, column: p.column, path, reason: `${formatPath(path)}: ${reason}` };
  };
  const problems = located.duplicateKeys.map((d) => at(d.path, 'key written twice (only the last would count)'));
  const parsed = routingConfigSchema.safeParse(located.value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      if (issue.code === 'unrecognized_keys')
        for (const key of issue.keys) problems.push(at([...path, key], `unknown key "${key}"`));
      else problems.push(at(path, issue.message));
    }
  }
  // Cross-checks also run on a document the schema refused, so one pass shows every problem; on a
  // shape they cannot read they give up quietly, the schema has already said what is wrong.
  const cross: PathProblem[] = [];
  try {
    crossCheck((parsed.success ? parsed.data : located.value) as RoutingConfig, cross, parsed.success);
  } catch {
    /* the schema problems stand alone */
  }
  const seen = new Set(problems.map((p) => p.reason));
  for (const p of cross) {
    const problem = at(p.path, p.reason);
    if (!seen.has(problem.reason)) problems.push(problem);
  }
  if (problems.length)
    throw new RoutingConfigError(
      fileName,
      problems.sort((a, b) => a.line - b.line),
    );
  return parsed.data!;
}
