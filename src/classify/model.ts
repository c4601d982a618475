import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { featureIds, featureStrings } from './features';
import { normalise } from './normalise';
import { kindByCues } from './kind-rules';
import { emergencyRule } from './rules';
import { predict, type Head } from './softmax';
import type { Category, Classification, Kind } from './taxonomy';

export const HEAD_NAMES = ['category', 'kind', 'conduct', 'emergency'] as const;
export type HeadName = (typeof HEAD_NAMES)[number];

export const DEFAULT_MODEL_PATH = path.resolve(__dirname, '../../data/model/classifier.json');

const headFileSchema = z.object({
  classes: z.array(z.string()).min(2),
  temperature: z.number().positive(),
  bias: z.array(z.number()),
  /** Float32 little-endian, base64: nFeatures × nClasses. */
  weights: z.string(),
});

export const modelFileSchema = z.object({
  format: z.literal('cchc-linear-v1'),
  createdAt: z.string(),
  trainedOn: z.object({ examples: z.number(), sha256: z.string() }),
  /** Category confidence at or above which a ticket is routed without a person (from out-of-fold data). */
  routeThreshold: z.number().min(0).max(1),
  /** P(emergency) at or above which a message is an emergency: low on purpose, a miss costs most. */
  emergencyThreshold: z.number().min(0).max(1),
  vocab: z.array(z.string()),
  heads: z.object({
    category: headFileSchema,
    kind: headFileSchema,
    conduct: headFileSchema,
    emergency: headFileSchema,
  }),
});
export type ModelFile = z.infer<typeof modelFileSchema>;

export type Scores = Record<HeadName, Float64Array>;

/** The trained classifier: offline, in-process, one linear model per axis plus emergency rules. */
export class Classifier {
  private readonly vocab: Map<string, number>;

  constructor(
    readonly heads: Record<HeadName, Head>,
    vocab: string[],
    readonly meta: Pick<ModelFile, 'createdAt' | 'trainedOn' | 'routeThreshold' | 'emergencyThreshold'>,
  ) {
    this.vocab = new Map(vocab.map((f, i) => [f, i]));
  }

  static fromFile(file: ModelFile): Classifier {
    const heads = {} as Record<HeadName, Head>;
    for (const name of HEAD_NAMES) {
      const h = file.heads[name];
      const buf = Buffer.from(h.weights, 'base64');
      const weights = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4).slice();
      if (weights.length !== file.vocab.length * h.classes.length)
        throw new Error(`model head ${name}: weights do not match the vocabulary`);
      heads[name] = { classes: h.classes, temperature: h.temperature, bias: Float32Array.from(h.bias), weights };
    }
    return new Classifier(heads, file.vocab, {
      createdAt: file.createdAt,
      trainedOn: file.trainedOn,
      routeThreshold: file.routeThreshold,
      emergencyThreshold: file.emergencyThreshold,
    });
  }

  static load(file = DEFAULT_MODEL_PATH): Classifier {
    return Classifier.fromFile(modelFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8'))));
  }

  toFile(vocab: string[]): ModelFile {
    const heads = {} as ModelFile['heads'];
    for (const name of HEAD_NAMES) {
      const h = this.heads[name];
      heads[name] = {
        classes: h.classes,
        temperature: h.temperature,
        bias: [...h.bias],
        weights: Buffer.from(h.weights.buffer, h.weights.byteOffset, h.weights.byteLength).toString('base64'),
      };
    }
    return { format: 'cchc-linear-v1', ...this.meta, vocab, heads };
  }

  /** Calibrated probabilities of every class, per axis. */
  scores(text: string): Scores {
    const x = featureIds(featureStrings(normalise(text)), this.vocab);
    const out = {} as Scores;
    for (const name of HEAD_NAMES) out[name] = predict(this.heads[name], x);
    return out;
  }

  classify(text: string): Classification {
    const s = this.scores(text);
    const pick = (name: HeadName) => {
      const p = s[name];
      let best = 0;
      for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
      return { label: this.heads[name].classes[best]!, p: p[best]! };
    };
    const category = pick('category');
    const picked = pick('kind');
    // Short questions about a procedure that the model reads as reports: the cues decide (kind-rules.ts).
    const cued = kindByCues(picked.label as Kind, category.label as Category, text);
    const kind =
      cued === picked.label
        ? picked
        : { label: cued, p: Math.max(s.kind[this.heads.kind.classes.indexOf(cued)]!, 0.5) };
    const conduct = pick('conduct');
    // A miss costs a life, so the bar is low and rules add recall: an emergency is never left in a queue.
    const pEmergency = s.emergency[this.heads.emergency.classes.indexOf('true')]!;
    const isEmergency = pEmergency >= this.meta.emergencyThreshold || emergencyRule(text);
    const emergency = { label: String(isEmergency), p: isEmergency ? Math.max(pEmergency, 0.5) : 1 - pEmergency };
    return {
      category: category.label as Category,
      kind: kind.label as Kind,
      conduct: conduct.label === 'true',
      emergency: emergency.label === 'true',
      confidence: {
        category: round(category.p),
        kind: round(kind.p),
        conduct: round(conduct.p),
        emergency: round(emergency.p),
      },
    };
  }
}

const round = (p: number) => Math.round(p * 1e4) / 1e4;
