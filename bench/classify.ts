// Classification time per message: median and p99 of Classifier.classify() over the held-out split,
// beside a baseline measured in the same run — the normaliser alone on the same messages.
//   npm run bench:classify
import { HELDOUT_FILE, readLabelled } from '../src/classify/corpus';
import { Classifier } from '../src/classify/model';
import { normalise } from '../src/classify/normalise';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const texts = readLabelled(HELDOUT_FILE).items.map((i) => i.text);
if (!texts.length) throw new Error('no held-out messages: run npm run corpus:split first');
const classifier = Classifier.load();

function timeEach(fn: (t: string) => unknown): number[] {
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of texts) {
      const start = process.hrtime.bigint();
      fn(t);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  return times.sort((a, b) => a - b);
}
const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

// Warm-up: JIT both paths before measuring.
timeEach((t) => classifier.classify(t));
const base = timeEach((t) => normalise(t));
const full = timeEach((t) => classifier.classify(t));
const row = (name: string, xs: number[]) =>
  `${name.padEnd(22)} median ${q(xs, 0.5).toFixed(4)} ms   p99 ${q(xs, 0.99).toFixed(4)} ms`;
console.log(`${texts.length} held-out messages × ${ROUNDS} rounds (node ${process.version})`);
console.log(row('baseline: normalise', base));
console.log(row('classify (4 axes)', full));
console.log(`ratio classify/normalise (median): ${(q(full, 0.5) / q(base, 0.5)).toFixed(1)}×`);
const ok = q(full, 0.5) <= 1;
console.log(`${ok ? 'PASS' : 'FAIL'}  median classification ≤ 1 ms (${q(full, 0.5).toFixed(4)} ms)`);
if (!ok) process.exitCode = 1;
