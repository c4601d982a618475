// Validates routing configuration files without touching any database:
//   npm run routing:check -- data/provinces/can-tho.json
// prints "OK: N units, M communes, R rules", or each problem as "file:line: reason" and exits 1.
import fs from 'node:fs';
import { parseRoutingConfig, RoutingConfigError } from '../src/routing/config-schema';

const files = process.argv.slice(2).filter((a) => a !== '--');
if (!files.length) {
  console.error('usage: npm run routing:check -- <file.json> [more files]');
  process.exit(2);
}
let failed = false;
for (const file of files) {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`${file}:1: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    failed = true;
    continue;
  }
  try {
    const c = parseRoutingConfig(text, file);
    const label = files.length > 1 ? `${file}: ` : '';
    console.log(`${label}OK: ${c.units.length} units, ${c.communes.length} communes, ${c.rules.length} rules`);
  } catch (e) {
    if (!(e instanceof RoutingConfigError)) throw e;
    for (const p of e.problems) console.error(`${file}:${p.line}: ${p.reason}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
