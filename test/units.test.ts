import { ConfigError, loadConfig } from '../src/config/env';
import { firstIntent } from '../src/conversation/first-intent';
import { maskName, maskPhone, maskPhonesIn } from '../src/privacy/mask';
import { initialDeadlines } from '../src/sla/deadlines';
import { fold, nfc } from '../src/text/fold';
import { formatTrackingCode, parseTrackingCode, vietnamYear } from '../src/tickets/tracking-code';
import { computeSignature, signatureHeader, verifySignature } from '../webhooks/signature';
import { dedupeKeyOf, eventProblem } from '../webhooks/zalo-events';

describe('config', () => {
  const creds = { ZALO_APP_ID: '1', ZALO_APP_SECRET: 's', ZALO_OA_SECRET_KEY: 'k', ZALO_REFRESH_TOKEN: 'r' };
  it('defaults to sandbox mode with embedded services when nothing is set', () => {
    const c = loadConfig({});
    expect(c.sandbox).toBe(true);
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.dataDir).toMatch(/\/data$/);
    expect(c.zalo.openApiUrl).toBe('http://127.0.0.1:3000/sandbox/zalo');
  });
  it('uses real Zalo endpoints with credentials, and the OA secret key for webhooks', () => {
    const c = loadConfig(creds);
    expect(c.sandbox).toBe(false);
    expect(c.zalo.openApiUrl).toBe('https://openapi.zalo.me');
    expect(c.zalo.oauthUrl).toBe('https://oauth.zaloapp.com');
    expect(c.zalo.webhookSecret).toBe('k');
    expect(loadConfig({ ...creds, ZALO_WEBHOOK_SECRET: 'app_secret' }).zalo.webhookSecret).toBe('s');
  });
  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL/],
    [{ REDIS_URL: 'nope' }, /REDIS_URL/],
    [{ ZALO_APP_ID: '1' }, /ZALO_APP_SECRET/],
    [{ ...creds, ZALO_OA_SECRET_KEY: '' }, /ZALO_OA_SECRET_KEY/],
    [{ ...creds, ZALO_REFRESH_TOKEN: ' ' }, /ZALO_REFRESH_TOKEN/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ QUEUE_PREFIX: 'a:b' }, /QUEUE_PREFIX/],
  ])('a bad or missing variable stops with its name (%j)', (env, name) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(name);
  });
});

describe('webhook signature', () => {
  const raw = Buffer.from('{"app_id":"1","timestamp":"2","x":"Tiếng Việt"}');
  it('is SHA-256 of app_id + raw body + timestamp + secret, as hex', () => {
    const crypto = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const expected = crypto
      .createHash('sha256')
      .update(Buffer.concat([Buffer.from('1'), raw, Buffer.from('2secret')]))
      .digest('hex');
    expect(computeSignature('1', raw, '2', 'secret')).toBe(expected);
    expect(signatureHeader('1', raw, '2', 'secret')).toBe(`mac=${expected}`);
  });
  it('accepts mac= and bare hex in any case; refuses anything else', () => {
    const hex = computeSignature('1', raw, '2', 'secret');
    expect(verifySignature(`mac=${hex}`, '1', raw, '2', 'secret')).toBe(true);
    expect(verifySignature(hex.toUpperCase(), '1', raw, '2', 'secret')).toBe(true);
    expect(verifySignature(undefined, '1', raw, '2', 'secret')).toBe(false);
    expect(verifySignature('', '1', raw, '2', 'secret')).toBe(false);
    expect(verifySignature(`mac=${hex.slice(0, -1)}`, '1', raw, '2', 'secret')).toBe(false);
    expect(verifySignature(`mac=${hex}`, '1', raw, '3', 'secret')).toBe(false);
    expect(verifySignature(`mac=${hex}`, '1', Buffer.concat([raw, Buffer.from(' ')]), '2', 'secret')).toBe(false);
  });
});

describe('events', () => {
  const base = { app_id: '1', timestamp: '5', sender: { id: 'u' }, recipient: { id: 'oa' } };
  it('dedupes user messages on msg_id, receipts on what they refer to plus time', () => {
    expect(dedupeKeyOf({ ...base, event_name: 'user_send_text', message: { msg_id: 'm1', text: 'x' } })).toBe('msg:m1');
    expect(dedupeKeyOf({ ...base, event_name: 'user_seen_message', message: { msg_ids: ['a'] } })).toBe(
      'evt:user_seen_message:oa:-:5',
    );
    expect(dedupeKeyOf({ ...base, event_name: 'user_reacted_message', message: { msg_id: 'm1' } })).toBe(
      'evt:user_reacted_message:u:m1:5',
    );
    expect(dedupeKeyOf({ app_id: '1', timestamp: '5', event_name: 'follow', follower: { id: 'f' } })).toBe(
      'evt:follow:f:-:5',
    );
  });
  it('names the field a known event lacks; unknown events have no schema to fail', () => {
    expect(eventProblem({ ...base, event_name: 'user_send_text', message: { msg_id: 'm' } })).toMatch(/message\.text/);
    expect(eventProblem({ ...base, event_name: 'user_send_image', message: { msg_id: 'm', attachments: [] } })).toMatch(
      /attachments/,
    );
    expect(eventProblem({ ...base, event_name: 'anything_new' })).toBeNull();
  });
});

describe('tracking codes', () => {
  it('formats PA-<year>-<6 digits>', () => {
    expect(formatTrackingCode(2026, 123)).toBe('PA-2026-000123');
  });
  it.each([
    ['PA-2026-000123', 'PA-2026-000123'],
    ['pa2026000123', 'PA-2026-000123'],
    ['PA 2026 123', 'PA-2026-000123'],
    ['ma cua toi la pa-2026-123 a', 'PA-2026-000123'],
    ['Pa_2026.000007', 'PA-2026-000007'],
  ])('reads %s', (input, code) => expect(parseTrackingCode(input)).toBe(code));
  it.each(['PA-2026-000000', 'hello', 'PA-26-1', 'PA-2026-1234567'])('rejects %s', (input) =>
    expect(parseTrackingCode(input)).toBeNull(),
  );
  it('takes the year in Vietnam, not UTC', () => {
    expect(vietnamYear(new Date('2026-12-31T17:30:00Z'))).toBe(2027);
    expect(vietnamYear(new Date('2026-12-31T16:59:00Z'))).toBe(2026);
  });
});

describe('initial deadlines (province policy and working-day calendar)', () => {
  it('does not count the day of receipt and ends at the close of office hours', () => {
    // Friday 2026-11-20 10:00 in Vietnam → forward by Friday 27/11, answer 20 days later (Thursday 10/12), 17:00.
    const friday = new Date('2026-11-20T03:00:00Z');
    const due = initialDeadlines(friday);
    expect(due.forwardDueAt.toISOString()).toBe('2026-11-27T10:00:00.000Z');
    expect(due.answerDueAt.toISOString()).toBe('2026-12-10T10:00:00.000Z');
    // A per-category target: portal faults are answered in 3 working days.
    expect(initialDeadlines(friday, 'dich_vu_cong').answerDueAt.toISOString()).toBe('2026-11-25T10:00:00.000Z');
  });
});

describe('text and privacy helpers', () => {
  it('recomposes NFD and folds diacritics', () => {
    expect(nfc('Đa\u0302\u0301t đai')).toBe('Đất đai');
    expect(fold('ĐẤT ĐAI Sổ Đỏ')).toBe('dat dai so do');
  });
  it('masks phone numbers and names', () => {
    expect(maskPhone('0912345678')).toBe('091*****78');
    expect(maskPhonesIn('gọi 0912 345 678 hoặc +84912345678')).toBe('gọi 091*****78 hoặc 849******78');
    expect(maskName('nguyễn văn an')).toBe('N. V. A.');
  });
  it.each([
    ['alo', 'greeting'],
    ['Chào ad ạ', 'greeting'],
    ['xin chao', 'greeting'],
    ['cảm ơn ad nhé', 'thanks'],
    ['#tra_cuu', 'menu'],
    ['😀', 'greeting'],
    ['so do lam 3 thang chua co', 'complaint'],
  ])('first intent of %s is %s', (text, intent) => expect(firstIntent(text)).toBe(intent));
});
