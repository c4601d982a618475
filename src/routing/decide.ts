import { normalise } from '../classify/normalise';
import type { Category, Classification } from '../classify/taxonomy';
import { CommuneFinder, DEFAULT_MAX_KM } from './commune-finder';
import { communeUnitCode, type Commune, type Rule, type RoutingConfig } from './config-schema';

/**
 * Where a classified ticket goes. A pure function of the configuration, the classification and the
 * message, so the decision (with the scores and the rule that fired) can be stored and explained.
 */
export interface RouteInput {
  text: string;
  location?: { lat: number; lon: number } | null;
}

export interface RouteOptions {
  /** Category confidence below this goes to operator triage (set from the eval curve). */
  threshold: number;
  /** Overrides the configuration's communeMatching.locationMaxKm. */
  maxDistanceKm?: number;
}

export type FiredRule = Rule & { matchedKeyword?: string };

export interface RouteDecision {
  mode: 'auto' | 'triage' | 'emergency';
  unit?: string;
  commune?: string;
  communeSource?: 'text' | 'location';
  /** When the commune name is ambiguous: the communes it could mean. */
  communeCandidates?: string[];
  copyTo: string[];
  rule: FiredRule | null;
  /** A commune-level matter without a commune: the conversation asks the citizen. */
  needsCommune: boolean;
  scores: Classification['confidence'];
  reason: string;
}

interface Compiled {
  finder: CommuneFinder;
  rules: Map<Category, Array<{ rule: Rule; keywords: Array<{ text: string; words: string[] }> | null }>>;
}

// Configurations are immutable once parsed; the index is built once per loaded version.
const compiledCache = new WeakMap<RoutingConfig, Compiled>();

function compile(config: RoutingConfig): Compiled {
  let compiled = compiledCache.get(config);
  if (compiled) return compiled;
  const rules: Compiled['rules'] = new Map();
  for (const rule of config.rules) {
    const keywords = rule.keywords?.map((k) => ({ text: k, words: normalise(k).tokens })) ?? null;
    rules.set(rule.category, [...(rules.get(rule.category) ?? []), { rule, keywords }]);
  }
  compiled = { finder: new CommuneFinder(config.communes, config.communeMatching), rules };
  compiledCache.set(config, compiled);
  return compiled;
}

function containsWords(tokens: string[], words: string[]): boolean {
  for (let s = 0; s + words.length <= tokens.length; s++) if (words.every((w, i) => tokens[s + i] === w)) return true;
  return false;
}

/** First match wins: the keyword rules of a category come before its general rule. */
function firstRule(compiled: Compiled, category: Category, tokens: string[]): FiredRule | null {
  for (const { rule, keywords } of compiled.rules.get(category) ?? []) {
    if (!keywords) return { ...rule };
    const hit = keywords.find((k) => containsWords(tokens, k.words));
    if (hit) return { ...rule, matchedKeyword: hit.text };
  }
  return null;
}

interface Place {
  commune?: Commune;
  source?: 'text' | 'location';
  candidates?: Commune[];
  why: string;
}

/** The commune from the text (what the citizen wrote wins) or else from the location pin. */
function locate(compiled: Compiled, input: RouteInput, maxKm: number): Place {
  const named = compiled.finder.find(input.text);
  if (named.commune) return { commune: named.commune, source: 'text', why: `${named.commune.name} from the text` };
  const pin =
    input.location && maxKm > 0 ? compiled.finder.nearest(input.location.lat, input.location.lon, maxKm) : null;
  if (named.candidates.length > 1) {
    // A pin can settle an ambiguous name, but never overrule it.
    if (pin?.commune && named.candidates.includes(pin.commune))
      return { commune: pin.commune, source: 'location', why: `${pin.commune.name} from the location pin` };
    const names = named.candidates.map((c) => c.name).join(', ');
    return { candidates: named.candidates, why: `the commune name is ambiguous (${names})` };
  }
  if (pin?.commune)
    return {
      commune: pin.commune,
      source: 'location',
      why: `${pin.commune.name} from the location pin (${pin.distanceKm!.toFixed(1)} km)`,
    };
  if (pin) return { why: `no commune in the text; location pin not used: ${pin.reason}` };
  if (input.location) return { why: 'no commune in the text; location pins are off (locationMaxKm 0)' };
  return { why: 'no commune in the text or location' };
}

export function decideRoute(
  config: RoutingConfig,
  classification: Classification,
  input: RouteInput,
  options: RouteOptions,
): RouteDecision {
  const compiled = compile(config);
  const c = classification;
  const maxKm = options.maxDistanceKm ?? config.communeMatching?.locationMaxKm ?? DEFAULT_MAX_KM;
  const place = locate(compiled, input, maxKm);
  const copies = config.copyRules
    .filter((r) => (r.when.conduct ?? c.conduct) === c.conduct && (r.when.kind ?? c.kind) === c.kind)
    .map((r) => r.unit);
  const decision = (d: Pick<RouteDecision, 'mode' | 'reason'> & Partial<RouteDecision>): RouteDecision => ({
    unit: undefined,
    commune: place.commune?.code,
    communeSource: place.source,
    rule: null,
    needsCommune: false,
    scores: { ...c.confidence },
    ...d,
    // Conduct is copied to the inspection team whatever the mode; never copy a unit to itself.
    copyTo: [...new Set(copies)].filter((u) => u !== d.unit),
  });

  if (c.emergency)
    return decision({ mode: 'emergency', reason: 'emergency: answer at once with 113/114/115; never queued' });
  if (c.confidence.category < options.threshold)
    return decision({
      mode: 'triage',
      unit: config.triage.unit,
      reason: `category ${c.category} at ${c.confidence.category.toFixed(2)} is below the threshold ${options.threshold}: operator triage`,
    });

  const rule = firstRule(compiled, c.category, normalise(input.text).tokens);
  if (!rule)
    return decision({
      mode: 'triage',
      unit: config.triage.unit,
      reason: `no rule for category ${c.category}: operator triage`,
    });
  const fired = `rule ${rule.id}${rule.matchedKeyword ? ` (keyword "${rule.matchedKeyword}")` : ''}`;

  if (rule.communeLevel) {
    if (place.commune)
      return decision({
        mode: 'auto',
        unit: communeUnitCode(place.commune.code),
        rule,
        reason: `${fired}: commune level, ${place.why}`,
      });
    return decision({
      mode: 'auto',
      rule,
      needsCommune: true,
      communeCandidates: place.candidates?.map((x) => x.code),
      reason: `${fired}: commune level, ${place.why}: ask the citizen for the commune`,
    });
  }
  if (rule.unit === config.triage.unit)
    return decision({ mode: 'triage', unit: rule.unit, rule, reason: `${fired}: operator triage` });
  const unitName = config.units.find((u) => u.code === rule.unit)?.name ?? rule.unit;
  return decision({ mode: 'auto', unit: rule.unit, rule, reason: `${fired}: ${unitName}` });
}
