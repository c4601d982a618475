// Builds a province's routing configuration from the two files people maintain:
//   data/provinces/<p>.units.json  the units and communes with their sources (changes with decrees)
//   data/provinces/<p>.rules.json  who handles what: rules, copy rules, triage (changes with policy)
// and writes data/provinces/<p>.json, validated. A problem is reported at the line of the file to edit.
//   node --import tsx scripts/build-province-config.ts [--province can-tho] [--check]
import fs from 'node:fs';
import path from 'node:path';
import { parseRoutingConfig, RoutingConfigError, type RoutingProblem } from '../src/routing/config-schema';
import { parseJsonWithPositions, type JsonPath, type LocatedJson } from '../src/routing/json-positions';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const province = flag('province') ?? 'can-tho';
const dir = path.resolve(__dirname, '../data/provinces');
const files = {
  units: path.join(dir, `${province}.units.json`),
  rules: path.join(dir, `${province}.rules.json`),
  out: path.join(dir, `${province}.json`),
};
const rel = (f: string) => path.relative(process.cwd(), f);

type Json = Record<string, unknown>;
function read(file: string, required: boolean): { json: Json; located: LocatedJson | null } {
  if (!fs.existsSync(file)) {
    if (required) fail(`${rel(file)}: file not found`);
    console.warn(`WARNING: ${rel(file)} not found: building without its units and communes`);
    return { json: {}, located: null };
  }
  try {
    const located = parseJsonWithPositions(fs.readFileSync(file, 'utf8'));
    return { json: located.value as Json, located };
  } catch (e) {
    const err = e as { line?: number; reason?: string; message: string };
    return fail(`${rel(file)}:${err.line ?? 1}: invalid JSON: ${err.reason ?? err.message}`);
  }
}
function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

const units = read(files.units, false);
const rules = read(files.rules, true);
const unitCodes = new Set(list(units.json.units).map((u) => u.code));
// Units the hotline needs that the official lists may lack (the hotline itself, an internal team).
const extraUnits = list(rules.json.units).filter((u) => !unitCodes.has(u.code));
const uProvince = units.json.province as Json | undefined;
const rProvince = rules.json.province as Json | undefined;
if (uProvince && rProvince && uProvince.code !== rProvince.code)
  fail(
    `province "${String(rProvince.code)}" in ${rel(files.rules)} differs from "${String(uProvince.code)}" in ${rel(files.units)}`,
  );

const config = {
  province: rProvince ?? uProvince,
  ...(units.json.effectiveFrom ? { effectiveFrom: units.json.effectiveFrom } : {}),
  generated: {
    by: 'scripts/build-province-config.ts (edit the source files and rebuild, not this file)',
    from: [files.units, files.rules].filter(fs.existsSync).map((f) => path.basename(f)),
  },
  sources: [...list(units.json.sources), ...list(rules.json.sources)],
  notes: [...list(units.json.notes), ...list(rules.json.notes)],
  units: [...list(units.json.units), ...extraUnits],
  communes: list(units.json.communes),
  ...(rules.json.communeMatching ? { communeMatching: rules.json.communeMatching } : {}),
  rules: rules.json.rules,
  copyRules: rules.json.copyRules ?? [],
  triage: rules.json.triage,
};

/** Where a problem of the merged document lives in the files people edit. */
function origin(path: JsonPath): { file: string; located: LocatedJson | null; path: JsonPath } {
  const [top, index, ...rest] = path;
  const nUnits = list(units.json.units).length;
  const fromUnits = { file: files.units, located: units.located, path };
  const fromRules = { file: files.rules, located: rules.located, path };
  if (top === 'communes' || top === 'effectiveFrom') return fromUnits;
  if (top === 'units' && typeof index === 'number') {
    if (index < nUnits) return fromUnits;
    const original = list(rules.json.units).indexOf(extraUnits[index - nUnits]!);
    return { ...fromRules, path: ['units', original, ...rest] };
  }
  if ((top === 'sources' || top === 'notes') && typeof index === 'number') {
    const n = list(units.json[top]).length;
    return index < n ? fromUnits : { ...fromRules, path: [top, index - n, ...rest] };
  }
  if (top === 'province') return rProvince ? fromRules : fromUnits;
  return fromRules;
}

const text = JSON.stringify(config, null, 2) + '\n';
try {
  const parsed = parseRoutingConfig(text, rel(files.out));
  const withCentre = parsed.communes.filter((c) => c.centre).length;
  const byType = (t: string) => parsed.communes.filter((c) => c.type === t).length;
  if (args.includes('--check')) {
    if (!fs.existsSync(files.out) || fs.readFileSync(files.out, 'utf8') !== text)
      fail(`${rel(files.out)} is out of date: run node --import tsx scripts/build-province-config.ts`);
  } else fs.writeFileSync(files.out, text);
  console.log(
    `${args.includes('--check') ? 'Up to date' : 'Wrote'} ${rel(files.out)}: ${parsed.units.length} units, ` +
      `${parsed.communes.length} communes (${byType('phuong')} phường, ${byType('xa')} xã, ${byType('dac_khu')} đặc khu), ` +
      `${parsed.rules.length} rules, ${parsed.copyRules.length} copy rules`,
  );
  if (withCentre < parsed.communes.length)
    console.warn(`WARNING: only ${withCentre} of ${parsed.communes.length} communes have a centre (location pins)`);
} catch (e) {
  if (!(e instanceof RoutingConfigError)) throw e;
  for (const p of e.problems as RoutingProblem[]) {
    if (!p.path) {
      console.error(`${rel(files.out)}:${p.line}: ${p.reason}`);
      continue;
    }
    const o = origin(p.path);
    const line = o.located ? o.located.positionOf(o.path).line : p.line;
    console.error(`${rel(o.located ? o.file : files.out)}:${line}: ${p.reason}`);
  }
  console.error(`${rel(files.out)} not written.`);
  process.exit(1);
}
