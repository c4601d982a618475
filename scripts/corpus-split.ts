// Builds data/corpus/train.jsonl and heldout.jsonl from the writers' files in data/corpus/raw/:
// validates every line, drops near-duplicates (same folded text), and assigns each message to a
// split by a hash of its text, so re-running never moves a message between splits.
//   npm run corpus:split
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CORPUS_DIR, HELDOUT_FILE, readLabelled, TRAIN_FILE, writeLabelled } from '../src/classify/corpus';
import { normalise } from '../src/classify/normalise';
import type { Labelled } from '../src/classify/taxonomy';

const HELDOUT_SHARE = 0.2;
const rawDir = path.join(CORPUS_DIR, 'raw');
const files = fs
  .readdirSync(rawDir)
  .filter((f) => f.endsWith('.jsonl'))
  .sort();
const seen = new Set<string>();
const all: Labelled[] = [];
let bad = 0;
let dupes = 0;
for (const f of files) {
  const { items, problems } = readLabelled(path.join(rawDir, f));
  for (const p of problems) console.error(`${f}:${p.line}: ${p.message}`);
  bad += problems.length;
  for (const item of items) {
    const key = normalise(item.text).folded;
    if (seen.has(key)) {
      dupes++;
      continue;
    }
    seen.add(key);
    all.push(item);
  }
}
const inHeldout = (item: Labelled) => {
  const h = crypto.createHash('sha256').update(normalise(item.text).folded).digest();
  return h.readUInt32BE(0) / 2 ** 32 < HELDOUT_SHARE;
};
const heldout = all.filter(inHeldout);
const train = all.filter((i) => !inHeldout(i));
writeLabelled(TRAIN_FILE, train);
writeLabelled(HELDOUT_FILE, heldout);
console.log(
  `${files.length} files, ${all.length} messages (${dupes} duplicates dropped, ${bad} bad lines): train ${train.length}, held-out ${heldout.length}`,
);
const count = (items: Labelled[], key: 'category' | 'kind') =>
  Object.entries(items.reduce<Record<string, number>>((m, i) => ((m[i[key]] = (m[i[key]] ?? 0) + 1), m), {}))
    .sort()
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
console.log(`categories: ${count(all, 'category')}`);
console.log(`kinds: ${count(all, 'kind')}`);
console.log(`conduct: ${all.filter((i) => i.conduct).length}, emergency: ${all.filter((i) => i.emergency).length}`);
if (bad) process.exitCode = 1;
