// The deadline report for the PAR INDEX / SIPAS self-assessment:
//   npm run --silent report:sla -- --from 2026-01-01 --to 2026-06-30 [--unit so-xay-dung] [--format md|csv]
// Markdown (default) pastes into a document, CSV into a spreadsheet; each column names the indicator it
// serves. Works while the hotline runs (through its database socket), like user:add.
import { parseArgs } from 'node:util';
import { runCli } from './lib/run-cli';
import { withCliDatabase } from './lib/cli-database';
import { log } from '../src/log';
import { loadCalendar } from '../src/sla/calendar-store';
import { reportArgsSchema, reportCsv, reportMarkdown, slaReport } from '../src/sla/par-report';

const USAGE =
  'usage: npm run --silent report:sla -- --from YYYY-MM-DD --to YYYY-MM-DD [--unit <unit code>] [--format md|csv]';
const argsSchema = reportArgsSchema(['md', 'csv'] as const, 'md');

async function main(): Promise<number> {
  log.setLevel('warn');
  let parsed;
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        unit: { type: 'string' },
        format: { type: 'string' },
      },
    });
    parsed = argsSchema.safeParse(values);
  } catch (e) {
    return (console.error(`${(e as Error).message}\n${USAGE}`), 2);
  }
  if (!parsed.success) {
    console.error(`${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n${USAGE}`);
    return 2;
  }
  const a = parsed.data;
  return withCliDatabase(async (db) => {
    const rep = await slaReport(db, { from: a.from, to: a.to, unit: a.unit }, await loadCalendar(db));
    process.stdout.write(a.format === 'csv' ? reportCsv(rep) : reportMarkdown(rep));
    return 0;
  });
}

runCli(main);
