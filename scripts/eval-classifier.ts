// Evaluates the shipped model on the held-out split (never trained on).   npm run eval:classifier
import { HELDOUT_FILE, readLabelled } from '../src/classify/corpus';
import { evaluate } from '../src/classify/evaluate';
import { Classifier } from '../src/classify/model';
import { formatEvaluation, targetLines } from '../src/classify/report';

const { items, problems } = readLabelled(HELDOUT_FILE);
for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
const classifier = Classifier.load();
const e = evaluate(classifier, items);
console.log(
  formatEvaluation(
    e,
    `held-out split (model of ${classifier.meta.createdAt}, ${classifier.meta.trainedOn.examples} training messages)`,
  ),
);
if (problems.length || targetLines(e).some((t) => !t.ok)) process.exitCode = 1;
