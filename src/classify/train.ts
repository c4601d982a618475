import { featureStrings } from './features';
import { Classifier, HEAD_NAMES, type HeadName } from './model';
import { normalise } from './normalise';
import { chooseThreshold, coverageCurve, type CurvePoint } from './metrics';
import { fitTemperature, logits, softmax, trainHead, type Example, type Head, type TrainOptions } from './softmax';
import { CATEGORY_CODES, KIND_CODES, type Labelled } from './taxonomy';
import { fingerprint } from './corpus';
import { emergencyRule } from './rules';

const THRESHOLDS = Array.from({ length: 99 }, (_, i) => Number(((i + 1) / 100).toFixed(2)));

const BOOL = ['false', 'true'];
export const HEAD_CLASSES: Record<HeadName, string[]> = {
  category: CATEGORY_CODES,
  kind: KIND_CODES,
  conduct: BOOL,
  emergency: BOOL,
};

export function labelOf(item: Labelled, head: HeadName): string {
  const v = item[head];
  return typeof v === 'boolean' ? String(v) : v;
}

export interface TrainReport {
  vocabulary: number;
  temperatures: Record<HeadName, number>;
  /** The out-of-fold accuracy/coverage point the shipped threshold was chosen at. */
  threshold: CurvePoint;
}

/** Chosen on out-of-fold predictions with a margin, so the held-out figure is an honest test. */
export const OOF_TARGET_ACCURACY = 0.975;

/** Features seen at least `minCount` times; rarer ones only memorise single messages. */
function buildVocab(featureLists: string[][], minCount: number): string[] {
  const counts = new Map<string, number>();
  for (const list of featureLists) for (const f of list) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n >= minCount)
    .map(([f]) => f)
    .sort();
}

/**
 * Trains the four heads on the corpus: vocabulary, then k-fold out-of-fold logits to fit each head's
 * temperature (calibration), then each head on all data. Deterministic for a given corpus and seed.
 */
export function trainClassifier(
  items: Labelled[],
  opts: TrainOptions & { folds?: number; minCount?: number; onProgress?: (msg: string) => void } = {},
): { classifier: Classifier; vocab: string[]; report: TrainReport } {
  const progress = opts.onProgress ?? (() => undefined);
  const featureLists = items.map((i) => featureStrings(normalise(i.text)));
  const vocab = buildVocab(featureLists, opts.minCount ?? 2);
  const index = new Map(vocab.map((f, i) => [f, i]));
  const xs = featureLists.map((fs) =>
    Int32Array.from(fs.map((f) => index.get(f)).filter((i): i is number => i !== undefined)),
  );
  progress(`vocabulary: ${vocab.length} features from ${items.length} messages`);
  const folds = opts.folds ?? 5;
  const heads = {} as Record<HeadName, Head>;
  const temperatures = {} as Record<HeadName, number>;
  let threshold: CurvePoint = { threshold: 1, coverage: 0, accuracy: 1 };
  let emergencyThreshold = 0.5;
  for (const name of HEAD_NAMES) {
    const classes = HEAD_CLASSES[name];
    const examples: Example[] = items.map((item, i) => ({ x: xs[i]!, y: classes.indexOf(labelOf(item, name)) }));
    // Indexed like the items, so rules can be consulted for the same message.
    const oof: Array<{ z: Float64Array; y: number }> = new Array(examples.length);
    for (let f = 0; f < folds; f++) {
      const train = examples.filter((_, i) => i % folds !== f);
      const model = trainHead(train, vocab.length, classes, opts);
      examples.forEach((e, i) => {
        if (i % folds === f) oof[i] = { z: logits(model, e.x), y: e.y };
      });
      progress(`${name}: fold ${f + 1}/${folds}`);
    }
    temperatures[name] = fitTemperature(oof);
    if (name === 'emergency') {
      // The lowest out-of-fold P(emergency) among real emergencies the rules miss, with a margin.
      const missedByRules = oof.filter((o, i) => o.y === 1 && !emergencyRule(items[i]!.text));
      const lowest = Math.min(1, ...missedByRules.map((o) => softmax(o.z, temperatures.emergency)[1]!));
      emergencyThreshold = Math.max(0.02, Math.min(0.5, Number((lowest * 0.8).toFixed(3))));
      const flagged = oof.filter((o) => softmax(o.z, temperatures.emergency)[1]! >= emergencyThreshold).length;
      progress(
        `emergency: threshold ${emergencyThreshold} (out-of-fold: ${flagged} flagged for ${oof.filter((o) => o.y === 1).length} real)`,
      );
    }
    if (name === 'category') {
      const items = oof.map(({ z, y }) => {
        const p = softmax(z, temperatures.category);
        let best = 0;
        for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
        return { confidence: p[best]!, correct: best === y };
      });
      const curve = coverageCurve(items, THRESHOLDS);
      threshold = chooseThreshold(curve, OOF_TARGET_ACCURACY) ?? curve[curve.length - 1]!;
      progress(
        `category: route threshold ${threshold.threshold} (out-of-fold coverage ${(threshold.coverage * 100).toFixed(1)}%, accuracy ${(threshold.accuracy * 100).toFixed(1)}%)`,
      );
    }
    heads[name] = { ...trainHead(examples, vocab.length, classes, opts), temperature: temperatures[name] };
    progress(`${name}: trained (temperature ${temperatures[name]})`);
  }
  const classifier = new Classifier(heads, vocab, {
    createdAt: new Date().toISOString(),
    trainedOn: { examples: items.length, sha256: fingerprint(items) },
    routeThreshold: threshold.threshold,
    emergencyThreshold,
  });
  return { classifier, vocab, report: { vocabulary: vocab.length, temperatures, threshold } };
}
