import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSharedDatabase } from '../src/db/client';
import { findUserByEmail } from '../src/auth/users';
import { verifyPassword } from '../src/auth/password';
import { freePort } from '../src/redis/local-server';
import { startFakeZaloServer } from '../src/sandbox/fake-zalo-api';
import { spawnHotline } from './support/child-hotline';
import { testRedisUrl, uniquePrefix } from './support/harness';

const ROOT = path.resolve(__dirname, '..');

function userAdd(dataDir: string, args: string[], stdin?: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts/user-add.ts'), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: os.tmpdir(), DATA_DIR: dataDir } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
    );
    child.stdin!.end(stdin ?? '');
  });
}

/** `npm run user:add` with the embedded database, with and without the hotline holding it. */
describe('user:add', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-users-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses bad input before touching the database', async () => {
    const r = await userAdd(dataDir, ['--email', 'x@y.vn', '--role', 'unit_officer']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/--unit/);
    expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(false);
  });

  it('creates the first admin with the hotline stopped, then refuses the same address', async () => {
    const r = await userAdd(dataDir, [
      '--email',
      'Admin@CanTho.gov.vn',
      '--role',
      'admin',
      '--password',
      'mật khẩu đủ dài',
    ]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toMatch(/admin@cantho\.gov\.vn \(admin\) created/);
    const again = await userAdd(dataDir, [
      '--email',
      'admin@cantho.gov.vn',
      '--role',
      'operator',
      '--password',
      'another long one',
    ]);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/already exists/);
  }, 180_000);

  it('works through the socket while the hotline runs, password read from stdin, unit checked', async () => {
    const zalo = await startFakeZaloServer();
    const hotline = spawnHotline('main', zalo.url, {
      REDIS_URL: testRedisUrl(),
      DATA_DIR: dataDir,
      QUEUE_PREFIX: uniquePrefix(),
      PORT: String(await freePort()),
    });
    try {
      await hotline.waitFor('workers running', 150_000);
      const bad = await userAdd(
        dataDir,
        ['--email', 'cb@x.vn', '--role', 'unit_officer', '--unit', 'so-khong-co'],
        'pw pw pw pw pw\n',
      );
      expect(bad.code).toBe(1);
      expect(bad.out).toMatch(/No unit "so-khong-co"/);
      const ok = await userAdd(
        dataDir,
        ['--email', 'canbo@stp.cantho.gov.vn', '--role', 'unit_officer', '--unit', 'so-tu-phap'],
        'một mật khẩu dài\n',
      );
      expect(ok.out).toMatch(/created/);
      expect(ok.code).toBe(0);
      const database = await openSharedDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
      try {
        expect(database.kind).toBe('postgres');
        const u = await findUserByEmail(database.db, 'canbo@stp.cantho.gov.vn');
        expect(u).toMatchObject({ role: 'unit_officer', unitCode: 'so-tu-phap' });
        expect(await verifyPassword(u!.passwordHash, 'một mật khẩu dài')).toBe(true);
      } finally {
        await database.close();
      }
    } finally {
      await hotline.kill('SIGTERM');
      await zalo.close();
    }
  }, 240_000);
});
