// Writes operators' corrections from the database to data/corpus/corrections.jsonl, which
// `npm run retrain:classifier` folds into the training data (never into the held-out split).
//   npm run corrections:export        (DATABASE_URL, or the embedded database under DATA_DIR)
import path from 'node:path';
import { CORRECTIONS_FILE, HELDOUT_FILE, readLabelled, writeLabelled } from '../src/classify/corpus';
import { correctionsAsExamples } from '../src/classify/corrections';
import { loadConfig } from '../src/config/env';
import { openSharedDatabase } from '../src/db/client';

async function main() {
  const config = loadConfig();
  const database = await openSharedDatabase({
    url: config.databaseUrl,
    pgliteDir: path.join(config.dataDir, 'pglite'),
  });
  try {
    const heldout = new Set(readLabelled(HELDOUT_FILE).items.map((i) => i.text));
    const all = await correctionsAsExamples(database.db);
    // A message that is in the held-out split must stay unseen, or the evaluation would flatter the model.
    const usable = all.filter((c) => !heldout.has(c.text));
    writeLabelled(CORRECTIONS_FILE, usable);
    console.log(
      `${usable.length} corrections written to ${path.relative(process.cwd(), CORRECTIONS_FILE)} (${all.length - usable.length} held-out texts left out)`,
    );
  } finally {
    await database.close();
  }
}
main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
