import { z } from 'zod';
import { burnPasswordTime, hashPassword, needsRehash, verifyPassword } from '../auth/password';
import { newTotpSecret, totpUri, verifyTotp } from '../auth/totp';
import { findUserByEmail, touchLogin } from '../auth/users';
import { users } from '../db/schema';
import { eq } from 'drizzle-orm';
import { ApiError } from './errors';
import { endpoint } from './define';
import { SESSION_COOKIE, readCookie, setSessionCookie } from './router';

const loginBody = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(256),
  totp: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});
const me = z.object({
  userId: z.number(),
  email: z.string(),
  role: z.string(),
  unitCode: z.string().nullable(),
  csrfToken: z.string(),
});

export const authEndpoints = [
  endpoint<Record<string, never>, Record<string, never>, z.infer<typeof loginBody>>({
    method: 'post',
    path: '/auth/login',
    summary: 'Log in; sets the session cookie and returns the CSRF token to send as X-CSRF-Token.',
    roles: 'public',
    body: loginBody,
    response: me,
    handler: async ({ body, req, res, services: s }) => {
      const ip = req.ip ?? 'unknown';
      const wait = await s.throttle.blockedFor(body.email, ip);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw new ApiError(
          'TOO_MANY_ATTEMPTS',
          `Quá nhiều lần đăng nhập sai; thử lại sau ${seconds} giây.`,
          undefined,
          {
            'Retry-After': String(seconds),
          },
        );
      }
      const user = await findUserByEmail(s.db, body.email);
      const ok =
        user && !user.disabled
          ? await verifyPassword(user.passwordHash, body.password)
          : (await burnPasswordTime(body.password), false);
      if (!ok || !user) {
        await s.throttle.failed(body.email, ip);
        throw new ApiError('UNAUTHENTICATED', 'Sai e-mail hoặc mật khẩu.');
      }
      if (user.totpSecret) {
        if (!body.totp) throw new ApiError('TOTP_REQUIRED', 'Nhập mã xác thực 6 số từ ứng dụng.');
        if (!verifyTotp(user.totpSecret, body.totp)) {
          await s.throttle.failed(body.email, ip);
          throw new ApiError('UNAUTHENTICATED', 'Mã xác thực không đúng.');
        }
      }
      await s.throttle.succeeded(body.email, ip);
      await touchLogin(s.db, user.id, needsRehash(user.passwordHash) ? await hashPassword(body.password) : undefined);
      // A fresh id at every login: a session id planted before login is worthless.
      const old = readCookie(req, SESSION_COOKIE);
      if (old) await s.sessions.destroy(old);
      const session = await s.sessions.create(user.id);
      setSessionCookie(req, res, s.deps.console, session.id);
      return { userId: user.id, email: user.email, role: user.role, unitCode: user.unitCode, csrfToken: session.csrf };
    },
  }),
  endpoint({
    method: 'post',
    path: '/auth/logout',
    summary: 'End the session.',
    roles: 'any',
    handler: async ({ req, res, services: s }) => {
      const sid = readCookie(req, SESSION_COOKIE);
      if (sid) await s.sessions.destroy(sid);
      setSessionCookie(req, res, s.deps.console, null);
      return { ok: true };
    },
  }),
  endpoint({
    method: 'get',
    path: '/me',
    summary: 'Who is logged in, and the CSRF token for this session.',
    roles: 'any',
    response: me,
    handler: async ({ actor, req, services: s }) => {
      const session = await s.sessions.touch(readCookie(req, SESSION_COOKIE) ?? '');
      return { ...actor, csrfToken: session?.csrf ?? '' };
    },
  }),
  endpoint<Record<string, never>, Record<string, never>, { code?: string; secret?: string }>({
    method: 'post',
    path: '/me/totp',
    summary:
      'Admins: turn on TOTP. Without a code, returns a new secret and its otpauth URI; with the secret and a current code, stores it.',
    roles: ['admin'],
    body: z.object({
      secret: z
        .string()
        .regex(/^[A-Z2-7]{32}$/)
        .optional(),
      code: z
        .string()
        .regex(/^\d{6}$/)
        .optional(),
    }),
    handler: async ({ actor, body, services: s }) => {
      if (!body.secret || !body.code) {
        const secret = newTotpSecret();
        return { secret, uri: totpUri(secret, actor.email), enabled: false };
      }
      if (!verifyTotp(body.secret, body.code)) throw new ApiError('BAD_REQUEST', 'Mã xác thực không đúng.');
      await s.db.update(users).set({ totpSecret: body.secret }).where(eq(users.id, actor.userId));
      return { enabled: true };
    },
  }),
];
