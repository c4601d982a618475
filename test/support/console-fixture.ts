import crypto from 'node:crypto';
import type { Db } from '../../src/db/client';
import { conversations, inboundEvents, tickets } from '../../src/db/schema';
import { createUser } from '../../src/auth/users';
import type { Role } from '../../src/auth/roles';
import type { Status } from '../../src/tickets/statuses';

export const PASSWORD = 'mật khẩu thử nghiệm dài';
let seq = 0;

/** A ticket as the intake would leave it, with its conversation and source event. */
export async function seedTicket(
  db: Db,
  t: {
    unit: string | null;
    content: string;
    status?: Status;
    mode?: string;
    receivedAt?: Date;
    dueAt?: Date;
    conduct?: boolean;
  },
) {
  const n = ++seq;
  const user = `7${crypto.randomInt(1e9, 9e9)}${n}`;
  const receivedAt = t.receivedAt ?? new Date(Date.now() - (100 - n) * 60_000);
  const [conv] = await db.insert(conversations).values({ zaloUserId: user, lastUserMessageAt: receivedAt }).returning();
  const payload = { event_name: 'user_send_text', message: { msg_id: `m${n}-${user}`, text: t.content } };
  const [ev] = await db
    .insert(inboundEvents)
    .values({
      dedupeKey: `m${n}-${user}`,
      zaloMsgId: `m${n}-${user}`,
      eventName: 'user_send_text',
      zaloUserId: user,
      raw: JSON.stringify(payload),
      payload,
      receivedAt,
      status: 'processed',
    })
    .returning();
  const [row] = await db
    .insert(tickets)
    .values({
      trackingCode: `PA-2026-${String(n + crypto.randomInt(100000, 900000)).padStart(6, '0')}`,
      conversationId: conv!.id,
      zaloUserId: user,
      sourceEventId: ev!.id,
      status: t.status ?? 'da_phan_loai',
      content: t.content,
      category: 'dat_dai',
      kind: 'phan_anh',
      conduct: t.conduct ?? false,
      unitCode: t.unit,
      routing: { mode: t.mode ?? 'auto', reason: 'test', scores: { category: 0.4 }, rule: { id: 'dat-dai-chung' } },
      receivedAt,
      answerDueAt: t.dueAt ?? new Date(receivedAt.getTime() + 20 * 86_400_000),
    })
    .returning();
  return row!;
}

export async function seedUser(db: Db, role: Role, unit?: string) {
  return createUser(
    db,
    { email: `${role}-${crypto.randomBytes(3).toString('hex')}@x.vn`, role, unit, password: PASSWORD },
    'can-tho',
  );
}

/** A browser-like client: keeps the session cookie and the CSRF token. */
export class ApiClient {
  cookie = '';
  csrf = '';
  constructor(private readonly base: string) {}

  async login(email: string, password = PASSWORD, extra: object = {}) {
    const res = await this.post('/api/auth/login', { email, password, ...extra }, false);
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    const body = (await res.clone().json()) as { csrfToken?: string };
    if (body.csrfToken) this.csrf = body.csrfToken;
    return res;
  }

  get(path: string) {
    return fetch(`${this.base}${path}`, { headers: { cookie: this.cookie } });
  }

  post(path: string, body: object, csrf = true, headers: Record<string, string> = {}) {
    return fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: this.cookie,
        ...(csrf && this.csrf ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
    });
  }
}

/** A logged-in client for a new account of the role (and unit). */
export async function loginAs(db: Db, baseUrl: string, role: Role, unit?: string): Promise<ApiClient> {
  const u = await seedUser(db, role, unit);
  const c = new ApiClient(baseUrl);
  const res = await c.login(u.email);
  if (res.status !== 200) throw new Error(`login as ${role} failed: HTTP ${res.status}`);
  return c;
}
