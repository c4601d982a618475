import { Redis } from 'ioredis';
import { SessionStore } from '../src/auth/sessions';
import { hotp, totp, verifyTotp, base32Encode } from '../src/auth/totp';
import { hashPassword, verifyPassword } from '../src/auth/password';
import { csvCell } from '../src/console/csv';
import { testRedisUrl, uniquePrefix } from './support/harness';

describe('sessions expire', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(() => redis.quit());

  it('after the idle time, and after the absolute time even when used', async () => {
    let now = 1_000_000;
    const store = new SessionStore(redis, uniquePrefix(), { idleMs: 60_000, absoluteMs: 120_000, now: () => now });
    const idle = await store.create(1);
    now += 61_000;
    expect(await store.touch(idle.id)).toBeUndefined();
    const busy = await store.create(2);
    for (let i = 0; i < 2; i++) {
      now += 50_000;
      expect(await store.touch(busy.id)).toBeDefined();
    }
    now += 21_000;
    expect(await store.touch(busy.id)).toBeUndefined();
  });
});

describe('TOTP (RFC 6238) and passwords', () => {
  it('matches the RFC test vector and accepts one step either side', () => {
    const secret = Buffer.from('12345678901234567890');
    expect(hotp(secret, 1)).toBe('287082');
    const b32 = base32Encode(secret);
    expect(totp(b32, 59_000)).toBe('287082');
    expect(verifyTotp(b32, totp(b32, 59_000), 59_000 + 30_000)).toBe(true);
    expect(verifyTotp(b32, totp(b32, 59_000), 59_000 + 90_000)).toBe(false);
  });

  it('hashes and verifies, NFC-insensitive', async () => {
    const h = await hashPassword('mật khẩu');
    expect(await verifyPassword(h, 'mật khẩu'.normalize('NFD'))).toBe(true);
    expect(await verifyPassword(h, 'mat khau')).toBe(false);
  });

  it('CSV cells never start a formula', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)']) expect(csvCell(s)).toBe(`"'${s}"`);
  });
});
