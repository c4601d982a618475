import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

/**
 * Password hashing, the one file that knows how. The issue asks for argon2id; Node has no argon2,
 * so when `@node-rs/argon2` (prebuilt, no compiler) is installed it is used, and until then scrypt
 * (memory-hard, built in) stands in. Hashes carry their algorithm, so both verify after the swap and
 * needsRehash() tells the login to upgrade an old one.
 */
interface Argon2 {
  hash(password: string, options: object): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

function loadArgon2(): Argon2 | undefined {
  try {
    return createRequire(__filename)('@node-rs/argon2') as Argon2;
  } catch {
    return undefined;
  }
}

const argon2 = loadArgon2();
// OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane); algorithm 2 is Argon2id in @node-rs/argon2.
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
// scrypt N=2^15, r=8, p=1: 32 MiB, the same order of cost.
const SCRYPT = { N: 32_768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const scrypt = promisify(crypto.scrypt) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: crypto.ScryptOptions,
) => Promise<Buffer>;

export const passwordAlgorithm = (): 'argon2id' | 'scrypt' => (argon2 ? 'argon2id' : 'scrypt');

export async function hashPassword(password: string): Promise<string> {
  const pw = password.normalize('NFC');
  if (argon2) return argon2.hash(pw, ARGON2_OPTIONS);
  const salt = crypto.randomBytes(16);
  const key = await scrypt(pw, salt, 32, SCRYPT);
  return `$scrypt$N=${SCRYPT.N},r=${SCRYPT.r},p=${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  const pw = password.normalize('NFC');
  if (hash.startsWith('$argon2')) return argon2 ? argon2.verify(hash, pw) : false;
  const m = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(hash);
  if (!m) return false;
  const expected = Buffer.from(m[5]!, 'base64');
  const key = await scrypt(pw, Buffer.from(m[4]!, 'base64'), expected.length, {
    N: Number(m[1]),
    r: Number(m[2]),
    p: Number(m[3]),
    maxmem: SCRYPT.maxmem,
  });
  return crypto.timingSafeEqual(key, expected);
}

export const needsRehash = (hash: string): boolean => !!argon2 && !hash.startsWith('$argon2id$');

/** Spent on unknown e-mails too, so the answer time does not tell which addresses have accounts. */
let dummy: Promise<string> | undefined;
export async function burnPasswordTime(password: string): Promise<void> {
  dummy ??= hashPassword('not a real password');
  await verifyPassword(await dummy, password);
}
