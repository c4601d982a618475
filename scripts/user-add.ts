// Creates a console account, the first admin included:
//   npm run user:add -- --email E --role R [--unit UNIT_CODE] [--password P] [--name "Họ tên"]
// Without --password it asks twice, without echo. Uses DATABASE_URL, or the embedded database under
// DATA_DIR — through the running hotline's socket when the hotline is up.
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { runCli } from './lib/run-cli';
import { withCliDatabase } from './lib/cli-database';
import { AppError } from '../src/errors';
import { log } from '../src/log';
import { ROLES } from '../src/auth/roles';
import { createUser, newUserSchema, UserError } from '../src/auth/users';
import { passwordAlgorithm } from '../src/auth/password';

const USAGE = `usage: npm run user:add -- --email <e-mail> --role <${ROLES.join('|')}> [--unit <unit code>] [--password <p>] [--name "<họ tên>"]`;

function usage(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

/** Reads one line; on a terminal the typed characters are not shown. */
function ask(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
  let prompted = false;
  out._writeToOutput = (s: string) => {
    if (!prompted) {
      out.output.write(s);
      prompted = true;
    } else if (s.includes('\n')) out.output.write('\n');
  };
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    }),
  );
}

async function main(): Promise<number> {
  log.setLevel('warn');
  let values: { email?: string; role?: string; unit?: string; password?: string; name?: string };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      options: {
        email: { type: 'string' },
        role: { type: 'string' },
        unit: { type: 'string' },
        password: { type: 'string' },
        name: { type: 'string' },
      },
    }));
  } catch (e) {
    usage((e as Error).message);
  }
  let password = values.password;
  const draft = { email: values.email, role: values.role, unit: values.unit, displayName: values.name };
  // Check what was given before asking for a password that would be thrown away.
  const early = newUserSchema.safeParse({ ...draft, password: password ?? 'x'.repeat(12) });
  if (!early.success) usage(early.error.issues.map((i) => `--${i.path.join('.') || 'input'}: ${i.message}`).join('\n'));
  if (password === undefined) {
    password = await ask('Mật khẩu (password): ');
    if (process.stdin.isTTY && (await ask('Nhập lại (again): ')) !== password) usage('the passwords differ');
  }
  const input = newUserSchema.safeParse({ ...draft, password });
  if (!input.success) usage(input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));

  const data = input.data;
  return withCliDatabase(async (db, config) => {
    try {
      const user = await createUser(db, data, config.provinceCode);
      console.log(
        `account #${user.id} ${user.email} (${user.role}${user.unitCode ? `, ${user.unitCode}` : ''}) created; password hashed with ${passwordAlgorithm()}`,
      );
      return 0;
    } catch (e) {
      if (e instanceof UserError || e instanceof AppError) return (console.error(e.message), 1);
      throw e;
    }
  });
}

runCli(main);
