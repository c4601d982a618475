// Batch classification (a contract other tools rely on):
//   npm run --silent classify < in.jsonl > out.jsonl
// reads JSON Lines {"id","text"}; writes one line per input line:
//   {"id","category","kind","conduct","emergency","confidence":{"category","kind","conduct","emergency"}}
// A bad line gets {"id"?, "line", "error":{"code","message"}} and the run goes on. Nothing else is on stdout.
import readline from 'node:readline';
import { z } from 'zod';
import { Classifier } from '../src/classify/model';

const inputSchema = z.object({ id: z.union([z.string(), z.number()]), text: z.string() });
const classifier = Classifier.load();
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
let line = 0;
const write = (o: object) => process.stdout.write(JSON.stringify(o) + '\n');
rl.on('line', (raw) => {
  line += 1;
  if (!raw.trim()) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return write({ line, error: { code: 'BAD_JSON', message: 'the line is not valid JSON' } });
  }
  const r = inputSchema.safeParse(parsed);
  if (!r.success) {
    const id = (parsed as { id?: unknown })?.id;
    return write({
      ...(typeof id === 'string' || typeof id === 'number' ? { id } : {}),
      line,
      error: {
        code: 'BAD_INPUT',
        message: r.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; '),
      },
    });
  }
  write({ id: r.data.id, ...classifier.classify(r.data.text) });
});
