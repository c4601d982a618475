import {
  accuracy,
  classReports,
  confusion,
  coverageCurve,
  macroF1,
  type ClassReport,
  type CurvePoint,
} from './metrics';
import { HEAD_NAMES, type Classifier, type HeadName } from './model';
import { HEAD_CLASSES, labelOf } from './train';
import type { Labelled } from './taxonomy';

export interface AxisReport {
  accuracy: number;
  macroF1: number;
  classes: ClassReport[];
}

export interface Evaluation {
  n: number;
  axes: Record<HeadName, AxisReport>;
  categoryConfusion: { labels: string[]; matrix: number[][] };
  emergencyRecall: number;
  conductF1: number;
  curve: CurvePoint[];
  /** Coverage and accuracy at the threshold the model ships with (chosen on training data). */
  shipped: CurvePoint;
}

export const THRESHOLDS = Array.from({ length: 19 }, (_, i) => Number((0.05 * (i + 1)).toFixed(2))).concat([
  0.97, 0.98, 0.99,
]);

export function evaluate(classifier: Classifier, items: Labelled[]): Evaluation {
  const preds = items.map((i) => classifier.classify(i.text));
  const axes = {} as Record<HeadName, AxisReport>;
  for (const name of HEAD_NAMES) {
    const truth = items.map((i) => labelOf(i, name));
    const pred = preds.map((p) => String(p[name]));
    const classes = classReports(truth, pred, HEAD_CLASSES[name]);
    axes[name] = { accuracy: accuracy(truth, pred), macroF1: macroF1(classes), classes };
  }
  const labels = HEAD_CLASSES.category;
  const routed = preds.map((p, i) => ({
    confidence: p.confidence.category,
    correct: p.category === items[i]!.category,
  }));
  const curve = coverageCurve(
    routed,
    [...new Set(THRESHOLDS)].sort((a, b) => a - b),
  );
  const [shipped] = coverageCurve(routed, [classifier.meta.routeThreshold]);
  return {
    n: items.length,
    axes,
    categoryConfusion: {
      labels,
      matrix: confusion(
        items.map((i) => i.category),
        preds.map((p) => p.category),
        labels,
      ),
    },
    emergencyRecall: axes.emergency.classes.find((c) => c.label === 'true')?.recall ?? 0,
    conductF1: axes.conduct.classes.find((c) => c.label === 'true')?.f1 ?? 0,
    curve,
    shipped: shipped!,
  };
}
