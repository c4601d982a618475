// Trains the classifier from the repository's corpus and writes data/model/classifier.json.
//   npm run train:classifier              train on data/corpus/train.jsonl (+ corrections), write the model
//   npm run retrain:classifier            the same into a candidate; print its metrics next to the current model's
//   npm run retrain:classifier -- --accept   …and replace the current model with the candidate
import fs from 'node:fs';
import path from 'node:path';
import { CORRECTIONS_FILE, HELDOUT_FILE, readLabelled, TRAIN_FILE } from '../src/classify/corpus';
import { evaluate } from '../src/classify/evaluate';
import { Classifier, DEFAULT_MODEL_PATH } from '../src/classify/model';
import { formatEvaluation, targetLines } from '../src/classify/report';
import { trainClassifier } from '../src/classify/train';

const retrain = process.argv.includes('--retrain');
const accept = process.argv.includes('--accept');
const load = (file: string) => {
  const { items, problems } = readLabelled(file);
  for (const p of problems) console.error(`${path.relative(process.cwd(), p.file)}:${p.line}: ${p.message}`);
  if (problems.length) process.exit(1);
  return items;
};
const train = [...load(TRAIN_FILE), ...load(CORRECTIONS_FILE)];
const heldout = load(HELDOUT_FILE);
const heldoutTexts = new Set(heldout.map((h) => h.text));
const leaked = train.filter((t) => heldoutTexts.has(t.text)).length;
if (leaked) {
  console.error(`${leaked} training messages are also in the held-out split: refusing to train on them.`);
  process.exit(1);
}
const t0 = Date.now();
const { classifier, vocab, report } = trainClassifier(train, { onProgress: (m) => console.error(`  ${m}`) });
console.error(
  `trained on ${train.length} messages in ${((Date.now() - t0) / 1000).toFixed(1)} s; vocabulary ${report.vocabulary}`,
);
const candidate = evaluate(classifier, heldout);
const out = retrain && !accept ? DEFAULT_MODEL_PATH.replace(/\.json$/, '.candidate.json') : DEFAULT_MODEL_PATH;
if (retrain && fs.existsSync(DEFAULT_MODEL_PATH)) {
  const current = evaluate(Classifier.load(), heldout);
  console.log('held-out metrics: current → candidate');
  const before = targetLines(current);
  const after = targetLines(candidate);
  after.forEach((a, i) => console.log(`  ${a.ok ? 'PASS' : 'FAIL'}  ${a.line}   (was: ${before[i]!.line})`));
} else {
  console.log(formatEvaluation(candidate, 'held-out split'));
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(classifier.toFile(vocab)));
console.log(
  `\nmodel written to ${path.relative(process.cwd(), out)}${retrain && !accept ? ' (run again with --accept to use it)' : ''}`,
);
