import type { Evaluation } from './evaluate';
import { HEAD_NAMES } from './model';

/** Targets from the issue that asked for the classifier; the report says PASS or FAIL for each. */
export const TARGETS = {
  categoryMacroF1: 0.9,
  kindAccuracy: 0.85,
  conductF1: 0.85,
  emergencyRecall: 1,
  autoRouted: 0.75,
  routedAccuracy: 0.97,
};

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pad = (s: string | number, n: number) => String(s).padStart(n);

export function targetLines(e: Evaluation): Array<{ ok: boolean; line: string }> {
  const t = TARGETS;
  return [
    {
      ok: e.axes.category.macroF1 >= t.categoryMacroF1,
      line: `category macro-F1 ${e.axes.category.macroF1.toFixed(3)} (≥ ${t.categoryMacroF1})`,
    },
    {
      ok: e.axes.kind.accuracy >= t.kindAccuracy,
      line: `kind accuracy ${e.axes.kind.accuracy.toFixed(3)} (≥ ${t.kindAccuracy})`,
    },
    { ok: e.conductF1 >= t.conductF1, line: `conduct F1 ${e.conductF1.toFixed(3)} (≥ ${t.conductF1})` },
    { ok: e.emergencyRecall >= t.emergencyRecall, line: `emergency recall ${e.emergencyRecall.toFixed(3)} (= 1.0)` },
    {
      ok: e.shipped.coverage >= t.autoRouted && e.shipped.accuracy >= t.routedAccuracy,
      line: `at the shipped threshold ${e.shipped.threshold}: ${pct(e.shipped.coverage)} auto-routed (≥ 75%), category accuracy among them ${pct(e.shipped.accuracy)} (≥ 97%)`,
    },
  ];
}

export function formatEvaluation(e: Evaluation, title: string): string {
  const out: string[] = [`${title}: ${e.n} messages`, ''];
  out.push('axis         accuracy  macro-F1');
  for (const name of HEAD_NAMES)
    out.push(
      `${name.padEnd(12)} ${pad(e.axes[name].accuracy.toFixed(3), 8)}  ${pad(e.axes[name].macroF1.toFixed(3), 8)}`,
    );
  for (const name of HEAD_NAMES) {
    out.push('', `${name}: class             precision  recall     F1  support`);
    for (const c of e.axes[name].classes) {
      out.push(
        `  ${c.label.padEnd(24)} ${pad(c.precision.toFixed(3), 9)} ${pad(c.recall.toFixed(3), 7)} ${pad(c.f1.toFixed(3), 6)} ${pad(c.support, 8)}`,
      );
    }
  }
  const { labels, matrix } = e.categoryConfusion;
  const short = labels.map((l) => l.slice(0, 5));
  out.push(
    '',
    'category confusion (rows: truth, columns: predicted)',
    `${''.padEnd(13)}${short.map((s) => pad(s, 6)).join('')}`,
  );
  matrix.forEach((row, i) => out.push(`${labels[i]!.padEnd(13)}${row.map((v) => pad(v || '.', 6)).join('')}`));
  out.push(
    '',
    `emergency recall: ${e.emergencyRecall.toFixed(3)}`,
    '',
    'category confidence threshold → coverage, accuracy among auto-routed',
  );
  for (const p of e.curve)
    out.push(`  ≥ ${p.threshold.toFixed(2)}  ${pad(pct(p.coverage), 7)}  ${pad(pct(p.accuracy), 7)}`);
  out.push('', 'targets:');
  for (const t of targetLines(e)) out.push(`  ${t.ok ? 'PASS' : 'FAIL'}  ${t.line}`);
  return out.join('\n');
}
