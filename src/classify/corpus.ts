import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { labelledSchema, type Labelled } from './taxonomy';

export const CORPUS_DIR = path.resolve(__dirname, '../../data/corpus');
export const TRAIN_FILE = path.join(CORPUS_DIR, 'train.jsonl');
export const HELDOUT_FILE = path.join(CORPUS_DIR, 'heldout.jsonl');
/** Operator corrections from the console, appended as labelled examples (training only). */
export const CORRECTIONS_FILE = path.join(CORPUS_DIR, 'corrections.jsonl');

export interface LoadProblem {
  file: string;
  line: number;
  message: string;
}

/** Reads a JSON Lines file of labelled messages; bad lines are reported with their line number. */
export function readLabelled(file: string): { items: Labelled[]; problems: LoadProblem[] } {
  const items: Labelled[] = [];
  const problems: LoadProblem[] = [];
  if (!fs.existsSync(file)) return { items, problems };
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const r = labelledSchema.safeParse(JSON.parse(line));
      if (r.success) items.push({ ...r.data, text: r.data.text.normalize('NFC') });
      else
        problems.push({
          file,
          line: i + 1,
          message: r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; '),
        });
    } catch (e) {
      problems.push({ file, line: i + 1, message: `not JSON: ${(e as Error).message}` });
    }
  });
  return { items, problems };
}

export function writeLabelled(file: string, items: Labelled[]): void {
  fs.writeFileSync(file, items.map((i) => JSON.stringify(i)).join('\n') + '\n');
}

/** A fingerprint of the training data, recorded in the model so a model names what made it. */
export function fingerprint(items: Labelled[]): string {
  const h = crypto.createHash('sha256');
  for (const i of items) h.update(JSON.stringify([i.text, i.category, i.kind, i.conduct, i.emergency])).update('\n');
  return h.digest('hex');
}
