import crypto from 'node:crypto';
import { loadConfig, type Config } from '../../src/config/env';
import type { Database } from '../../src/db/client';
import { startHotline, type Hotline, type StartOptions } from '../../src/hotline';
import { startFakeZaloServer, type FakeZaloServer } from '../../src/sandbox/fake-zalo-api';
import { signatureHeader } from '../../webhooks/signature';
import { openTestDb, testRedisUrl, uniquePrefix, type DbKind } from './harness';

export const APP_ID = '3608465248940903967';
export const OA_ID = '388613280878808645';
export const OA_SECRET = 'test-oa-secret-key';
/** Starting a hotline (migrations on a new PGlite, workers) can take a while on a loaded machine. */
export const START_HOOK_MS = 120_000;

/** A hotline in this process: real Redis (unique prefix), the given database, a stand-in Zalo API. */
export interface TestHotline {
  url: string;
  hotline: Hotline;
  zalo: FakeZaloServer;
  config: Config;
  post(event: object, opts?: { signature?: string; raw?: string }): Promise<Response>;
  stop(): Promise<void>;
}

export function testConfig(zaloUrl: string, extra: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: testRedisUrl(),
    DATA_DIR: '/tmp/cchc-test-unused',
    ...zaloEnv(zaloUrl),
    ...extra,
  });
}

/** Credentials of the test OA, with both Zalo hosts pointed at a stand-in. */
export function zaloEnv(zaloUrl: string): Record<string, string> {
  return {
    ZALO_APP_ID: APP_ID,
    ZALO_APP_SECRET: 'test-app-secret',
    ZALO_OA_SECRET_KEY: OA_SECRET,
    ZALO_ACCESS_TOKEN: 'at-0',
    ZALO_REFRESH_TOKEN: 'rt-0',
    ZALO_OPENAPI_URL: zaloUrl,
    ZALO_OAUTH_URL: zaloUrl,
  };
}

/**
 * beforeAll/afterAll for a file that drives one hotline over one database of the given kind.
 * Returns getters, since the values exist only once beforeAll has run.
 */
export function useTestHotline(
  kind: DbKind,
  env: Record<string, string> = {},
): { h: () => TestHotline; db: () => Database['db'] } {
  let database: Database | undefined;
  let hotline: TestHotline | undefined;
  beforeAll(async () => {
    database = await openTestDb(kind);
    hotline = await startTestHotline(database, { env });
  }, START_HOOK_MS);
  afterAll(async () => {
    await hotline?.stop();
    await database?.close();
  });
  return { h: () => hotline!, db: () => database!.db };
}

export async function startTestHotline(
  database: Database,
  opts: {
    role?: StartOptions['role'];
    prefix?: string;
    workerOptions?: StartOptions['workerOptions'];
    env?: Record<string, string>;
    attachmentOrigins?: string[];
  } = {},
): Promise<TestHotline> {
  const zalo = await startFakeZaloServer();
  const config = testConfig(zalo.url, opts.env);
  const hotline = await startHotline(config, {
    role: opts.role ?? 'main',
    prefix: opts.prefix ?? uniquePrefix(),
    database,
    workerOptions: { schedule: false, rateLimitPauseMs: 300, ...opts.workerOptions },
    attachmentOrigins: opts.attachmentOrigins,
  });
  const url = hotline.url!;
  return {
    url,
    hotline,
    zalo,
    config,
    post: (event, o = {}) => postEvent(url, event, o),
    stop: async () => {
      await hotline.stop();
      await zalo.close();
    },
  };
}

export async function postEvent(
  base: string,
  event: object,
  o: { signature?: string; raw?: string } = {},
): Promise<Response> {
  const raw = o.raw ?? JSON.stringify(event);
  const e = event as { app_id?: string; timestamp?: string };
  const signature = o.signature ?? signatureHeader(e.app_id ?? APP_ID, raw, e.timestamp ?? '0', OA_SECRET);
  const res = await fetch(`${base}/webhooks/zalo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zevent-signature': signature },
    body: raw,
  });
  if (res.status >= 500) console.warn(`webhook answered ${res.status}: ${await res.clone().text()}`);
  return res;
}

let seq = 0;
const hex = () => crypto.randomBytes(10).toString('hex');
const ts = () => String(Date.now() + ++seq);
const fromUser = (userId: string) => ({ sender: { id: userId }, recipient: { id: OA_ID } });
const base = (event_name: string, userId: string) => ({
  app_id: APP_ID,
  user_id_by_app: `9${userId}`,
  event_name,
  timestamp: ts(),
});

/** Events shaped exactly as zalo-oa.md documents them. */
export const ev = {
  text: (userId: string, text: string, msgId = hex()) => ({
    ...base('user_send_text', userId),
    ...fromUser(userId),
    message: { msg_id: msgId, text },
  }),
  image: (userId: string, url = 'https://f1.zdn.vn/x.jpg') => ({
    ...base('user_send_image', userId),
    ...fromUser(userId),
    message: { msg_id: hex(), text: 'ảnh', attachments: [{ type: 'image', payload: { url, thumbnail: url } }] },
  }),
  file: (userId: string) => ({
    ...base('user_send_file', userId),
    ...fromUser(userId),
    message: {
      msg_id: hex(),
      attachments: [
        {
          type: 'file',
          payload: { url: 'https://f1.zdn.vn/a.pdf', name: 'don.pdf', size: '1024', checksum: 'abc', type: 'pdf' },
        },
      ],
    },
  }),
  location: (userId: string) => ({
    ...base('user_send_location', userId),
    ...fromUser(userId),
    message: {
      msg_id: hex(),
      attachments: [{ type: 'location', payload: { coordinates: { latitude: '10.0341', longitude: '105.7880' } } }],
    },
  }),
  media: (name: string, type: string, userId: string) => ({
    ...base(name, userId),
    ...fromUser(userId),
    message: {
      msg_id: hex(),
      attachments: [{ type, payload: { url: 'https://f1.zdn.vn/m', thumbnail: 'https://f1.zdn.vn/t', id: 's1' } }],
    },
  }),
  follow: (userId: string) => ({
    app_id: APP_ID,
    event_name: 'follow',
    timestamp: ts(),
    oa_id: OA_ID,
    follower: { id: userId },
    source: 'oa_profile',
  }),
  unfollow: (userId: string) => ({
    app_id: APP_ID,
    event_name: 'unfollow',
    timestamp: ts(),
    oa_id: OA_ID,
    follower: { id: userId },
    source: 'oa_profile',
  }),
  submitInfo: (userId: string) => ({
    ...base('user_submit_info', userId),
    ...fromUser(userId),
    info: { name: 'Nguyễn Văn A', phone: '0912345678', address: '1 Hòa Bình', city: 'Cần Thơ', ward: 'Ninh Kiều' },
  }),
  received: (userId: string, msgId: string) => ({
    ...base('user_received_message', userId),
    sender: { id: OA_ID },
    recipient: { id: userId },
    message: { msg_id: msgId },
  }),
  seen: (userId: string, msgIds: string[]) => ({
    ...base('user_seen_message', userId),
    sender: { id: OA_ID },
    recipient: { id: userId },
    message: { msg_ids: msgIds },
  }),
  reacted: (userId: string, msgId: string) => ({
    ...base('user_reacted_message', userId),
    ...fromUser(userId),
    message: { msg_id: msgId, react_icon: '/-heart' },
  }),
  withdraw: (userId: string) => ({ ...base('user_withdraw', userId), ...fromUser(userId) }),
  echo: (userId: string, text: string) => ({
    ...base('oa_send_text', userId),
    sender: { id: OA_ID, admin_id: '77' },
    recipient: { id: userId },
    message: { msg_id: hex(), text },
  }),
};

export async function until<T>(fn: () => Promise<T> | T, ms = 20000, step = 50): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, step));
  }
}

/** Like until, but a timeout is a failure with a message, and the value is known to be present. */
export async function eventually<T>(fn: () => Promise<T> | T, what: string, ms = 20000): Promise<NonNullable<T>> {
  const v = await until(fn, ms);
  if (!v) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
  return v as NonNullable<T>;
}
