/** Evaluation measures, pure: from (truth, prediction) pairs to numbers and tables. */
export interface ClassReport {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export function classReports(truth: string[], pred: string[], labels: string[]): ClassReport[] {
  return labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < truth.length; i++) {
      if (pred[i] === label && truth[i] === label) tp++;
      else if (pred[i] === label) fp++;
      else if (truth[i] === label) fn++;
    }
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support: tp + fn };
  });
}

export function accuracy(truth: string[], pred: string[]): number {
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === pred[i]) ok++;
  return truth.length ? ok / truth.length : 0;
}

/** Macro-F1 over the classes present in the truth (absent classes would only add zeros). */
export function macroF1(reports: ClassReport[]): number {
  const present = reports.filter((r) => r.support > 0);
  return present.length ? present.reduce((s, r) => s + r.f1, 0) / present.length : 0;
}

export function confusion(truth: string[], pred: string[], labels: string[]): number[][] {
  const index = new Map(labels.map((l, i) => [l, i]));
  const m = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < truth.length; i++) {
    const t = index.get(truth[i]!);
    const p = index.get(pred[i]!);
    if (t !== undefined && p !== undefined) m[t]![p]! += 1;
  }
  return m;
}

export interface CurvePoint {
  threshold: number;
  coverage: number;
  accuracy: number;
}

/** For each threshold: the share of items at or above it, and the accuracy among them. */
export function coverageCurve(
  items: Array<{ confidence: number; correct: boolean }>,
  thresholds: number[],
): CurvePoint[] {
  return thresholds.map((threshold) => {
    const kept = items.filter((i) => i.confidence >= threshold);
    const right = kept.filter((i) => i.correct).length;
    return {
      threshold,
      coverage: items.length ? kept.length / items.length : 0,
      accuracy: kept.length ? right / kept.length : 1,
    };
  });
}

/** The lowest threshold whose accuracy meets the target: the most tickets routed without a person. */
export function chooseThreshold(curve: CurvePoint[], targetAccuracy: number): CurvePoint | undefined {
  return [...curve].sort((a, b) => a.threshold - b.threshold).find((p) => p.accuracy >= targetAccuracy);
}
