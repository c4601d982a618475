import { normalise } from '../classify/normalise';
import type { Commune } from './config-schema';

/**
 * Finds the commune or ward a citizen's message names. People write "P. Cái Khế", "xa thoi lai",
 * "Thới Lai" or the name of the old ward their street belonged to before the 2025 merger, so every
 * name is indexed by its folded words without the administrative prefix.
 */
export interface CommuneMatch {
  /** The one commune meant, when the text allows a single answer. */
  commune?: Commune;
  /** Every commune the best match could mean (one when unambiguous, none when nothing matched). */
  candidates: Commune[];
  /** The folded words that matched. */
  matched?: string;
  /** A current name or alias, or the name of an old unit merged into the commune. */
  via?: 'name' | 'former';
}

export interface NearestCommune {
  commune?: Commune;
  distanceKm?: number;
  /** Why no commune was given. */
  reason?: string;
}

type Kind = 'phuong' | 'xa' | 'dac_khu' | 'thi_tran' | 'district' | 'province' | 'ubnd';

// Longest first so "thi xa" is read before "xa". normalise() has already expanded tp/tx/ubnd.
const PREFIXES: Array<[string[], Kind]> = [
  [['uy', 'ban', 'nhan', 'dan'], 'ubnd'],
  [['thi', 'tran'], 'thi_tran'],
  [['dac', 'khu'], 'dac_khu'],
  [['thi', 'xa'], 'district'],
  [['thanh', 'pho'], 'district'],
  [['phuong'], 'phuong'],
  [['p'], 'phuong'],
  [['xa'], 'xa'],
  [['x'], 'xa'],
  [['tt'], 'thi_tran'],
  [['quan'], 'district'],
  [['huyen'], 'district'],
  [['tinh'], 'province'],
];
const COMMUNE_KINDS = new Set<Kind>(['phuong', 'xa', 'dac_khu', 'thi_tran']);
const ROMAN: Record<string, string> = {
  I: '1',
  II: '2',
  III: '3',
  IV: '4',
  V: '5',
  VI: '6',
  VII: '7',
  VIII: '8',
  IX: '9',
  X: '10',
};

interface Entry {
  commune: Commune;
  via: 'name' | 'former';
  kind?: Kind;
  /** The prefix written in the indexed name itself ("quận Ninh Kiều" is an alias for a district). */
  written?: Kind;
  /** Folded places named in a qualifier such as "(huyện Mỹ Tú)", used to tell two old units apart. */
  places: string[];
  needsPrefix: boolean;
}

function prefixAt(tokens: string[], start: number): { kind: Kind; length: number } | undefined {
  for (const [words, kind] of PREFIXES)
    if (words.every((w, i) => tokens[start + i] === w)) return { kind, length: words.length };
  return undefined;
}

/** The prefix that ends just before `end`, if any. */
function prefixBefore(tokens: string[], end: number): { kind: Kind; length: number } | undefined {
  for (const [words, kind] of PREFIXES) {
    const start = end - words.length;
    if (start >= 0 && words.every((w, i) => tokens[start + i] === w)) return { kind, length: words.length };
  }
  return undefined;
}

function containsWords(haystack: string[], needle: string[]): boolean {
  for (let s = 0; s + needle.length <= haystack.length; s++)
    if (needle.every((w, i) => haystack[s + i] === w)) return true;
  return false;
}

/** Whether an indexed name may be read at a place in the text given the prefix written before it. */
function usable(e: Entry, prefix: Kind | undefined): boolean {
  // An old district name means a new commune only where the list says so ("quận Bình Thủy").
  if (prefix === 'district') return e.written === 'district';
  if (e.needsPrefix) return prefix !== undefined && (COMMUNE_KINDS.has(prefix) || prefix === 'ubnd');
  return true;
}

/** "xã Phú Tân" prefers the xã when a phường has the same name. */
function preferKind(entries: Entry[], prefix: Kind | undefined): Entry[] {
  if (!prefix || !COMMUNE_KINDS.has(prefix)) return entries;
  const same = entries.filter((e) => e.kind === prefix);
  return same.length ? same : entries;
}

export class CommuneFinder {
  private readonly index = new Map<string, Entry[]>();
  private longest = 0;

  constructor(
    readonly communes: readonly Commune[],
    opts: { prefixOnly?: readonly string[] } = {},
  ) {
    const prefixOnly = new Set((opts.prefixOnly ?? []).map((n) => normalise(n).folded));
    for (const commune of communes) {
      for (const name of [commune.name, ...commune.aliases]) this.add(commune, name, 'name', prefixOnly);
      for (const name of commune.mergedFrom) this.add(commune, name, 'former', prefixOnly);
    }
  }

  private add(commune: Commune, raw: string, via: Entry['via'], prefixOnly: Set<string>): void {
    const qualifier = /\(([^)]*)\)/.exec(raw)?.[1] ?? '';
    const bare = raw.replace(/\([^)]*\)/g, ' ').trim();
    const places = qualifier
      .split(/[,;]/)
      .map((part) => {
        const t = normalise(part).tokens;
        return t.slice(prefixAt(t, 0)?.length ?? 0).join(' ');
      })
      .filter(Boolean);
    // "Phường VII" is written "phường 7" by most people.
    const roman = /^(.*\s)(I|II|III|IV|V|VI|VII|VIII|IX|X)$/.exec(bare);
    const variants = roman ? [bare, `${roman[1] ?? ''}${ROMAN[roman[2] ?? ''] ?? ''}`] : [bare];
    for (const variant of variants) {
      const tokens = normalise(variant).tokens;
      const prefix = prefixAt(tokens, 0);
      const words = tokens.slice(prefix?.length ?? 0);
      if (!words.length) continue;
      const key = words.join(' ');
      const kind = via === 'name' ? commune.type : prefix?.kind;
      const needsPrefix = words.length < 2 || prefixOnly.has(key);
      const list = this.index.get(key) ?? [];
      const written = prefix?.kind;
      // A qualifier naming the unit itself ("Xã Long Phú (huyện Long Phú)") tells nothing apart.
      const own = places.filter((p) => p !== key);
      if (!list.some((e) => e.commune === commune && e.via === via && e.kind === kind && e.written === written))
        list.push({ commune, via, kind, written, places: own, needsPrefix });
      this.index.set(key, list);
      this.longest = Math.max(this.longest, words.length);
    }
  }

  /** The commune named in a text; longest name wins, an ambiguous name gives candidates only. */
  find(text: string): CommuneMatch {
    const tokens = normalise(text).tokens;
    // Longest wins, the commune prefix counted: in "phuong binh thuy" the ward Bình Thủy (2 words
    // after "phường") beats the commune Phương Bình. A name after "quận/huyện" (an old district, now
    // several communes) loses to any commune name, as in "xã Long Bình (thị xã Long Mỹ)".
    let best: { score: number; key: string; entries: Entry[]; prefix?: Kind }[] = [];
    for (let s = 0; s < tokens.length; s++) {
      const before = prefixBefore(tokens, s);
      const prefix = before?.kind;
      if (prefix === 'province') continue; // "tỉnh Sóc Trăng" is the old province, not the ward
      for (let len = Math.min(this.longest, tokens.length - s); len >= 1; len--) {
        const key = tokens.slice(s, s + len).join(' ');
        const entries = (this.index.get(key) ?? []).filter((e) => usable(e, prefix));
        if (!entries.length) continue;
        const score = prefix === 'district' ? len : 100 + len + (before?.length ?? 0);
        if (best.length && score < best[0]!.score) break;
        if (best.length && score > best[0]!.score) best = [];
        best.push({ score, key, entries, prefix });
        break;
      }
    }
    if (!best.length) return { candidates: [] };

    let entries = best.flatMap((b) => preferKind(b.entries, b.prefix));
    // An old unit whose district is also written ("Phường 1 ... Sóc Trăng") is the one meant; else a
    // current name beats the old name of a unit that merged elsewhere.
    const placesSeen = (e: Entry) => e.places.filter((p) => containsWords(tokens, p.split(' '))).length;
    const most = Math.max(...entries.map(placesSeen));
    if (most > 0) entries = entries.filter((e) => placesSeen(e) === most);
    else if (entries.some((e) => e.via === 'name')) entries = entries.filter((e) => e.via === 'name');
    const communes = [...new Set(entries.map((e) => e.commune))];
    const matched = best.map((b) => b.key).join(' | ');
    const via = entries.find((e) => e.commune === communes[0])!.via;
    return communes.length === 1
      ? { commune: communes[0], candidates: communes, matched, via }
      : { candidates: communes, matched, via };
  }

  /** The commune whose centre is nearest to a location pin, refused beyond maxKm. */
  nearest(lat: number, lon: number, maxKm = DEFAULT_MAX_KM): NearestCommune {
    return nearestCommune(this.communes, lat, lon, { maxKm });
  }
}

export const DEFAULT_MAX_KM = 15;

/** Great-circle distance in kilometres. */
export function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h =
    Math.sin(rad(b.lat - a.lat) / 2) ** 2 +
    Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lon - a.lon) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function nearestCommune(
  communes: readonly Commune[],
  lat: number,
  lon: number,
  opts: { maxKm?: number } = {},
): NearestCommune {
  const maxKm = opts.maxKm ?? DEFAULT_MAX_KM;
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return { reason: 'the location is not a valid coordinate' };
  let best: { commune: Commune; distanceKm: number } | undefined;
  for (const c of communes) {
    if (!c.centre) continue;
    const d = haversineKm({ lat, lon }, c.centre);
    if (!best || d < best.distanceKm) best = { commune: c, distanceKm: d };
  }
  if (!best) return { reason: 'no commune in the configuration has a centre' };
  if (best.distanceKm > maxKm)
    return {
      distanceKm: best.distanceKm,
      reason: `the nearest commune centre (${best.commune.name}) is ${best.distanceKm.toFixed(1)} km away, beyond ${maxKm} km`,
    };
  return best;
}
