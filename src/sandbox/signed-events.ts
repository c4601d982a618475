import crypto from 'node:crypto';
import type { Response } from 'express';
import { z } from 'zod';
import { signatureHeader } from '../../webhooks/signature';

/**
 * What the sandbox's endpoints share: request validation with answers in Vietnamese, and events
 * built like Zalo's, signed like Zalo signs them and POSTed to the app's real webhook.
 */
export const userId = z
  .string({ error: 'userId phải là chuỗi chữ số (userId must be a string of digits)' })
  .regex(/^\d{1,30}$/, 'userId phải gồm 1–30 chữ số (userId must be 1-30 digits)');

export function badRequest(res: Response, code: string, message: string, issues?: z.core.$ZodIssue[]): void {
  res.status(400).json({
    error: {
      code,
      message,
      issues: issues?.map((i) => ({ path: i.path.join('.'), message: i.message })),
    },
  });
}

export function parseOr400<T>(schema: z.ZodType<T>, value: unknown, res: Response): T | undefined {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  badRequest(res, 'SANDBOX_BAD_REQUEST', `Dữ liệu không hợp lệ: ${first?.message ?? 'không rõ'}`, parsed.error.issues);
  return undefined;
}

/** The id Zalo gives the same person for the app (stable, digits, never a number type). */
function userIdByApp(appId: string, uid: string): string {
  const digest = crypto.createHash('sha256').update(`${appId}:${uid}`).digest();
  return String((digest.readBigUInt64BE(0) % 9_000_000_000_000_000_000n) + 1_000_000_000_000_000_000n);
}

export interface SignedEventOptions {
  appId: string;
  oaId: string;
  secret: string;
  webhookUrl: () => string;
  timeoutMs: number;
}

export type SandboxEvent = Record<string, unknown> & { timestamp: string };

export function createSignedEvents(opts: SignedEventOptions) {
  const { appId, oaId, secret, timeoutMs } = opts;

  /** Serialises the event once, signs those exact bytes and POSTs them to the webhook. */
  async function deliver(res: Response, event: SandboxEvent, extra = {}) {
    const raw = JSON.stringify(event);
    try {
      const answer = await fetch(opts.webhookUrl(), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-ZEvent-Signature': signatureHeader(appId, raw, event.timestamp, secret),
        },
        body: raw,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await answer.arrayBuffer().catch(() => undefined);
      res.json({ status: answer.status, ...extra });
    } catch (e) {
      res.status(502).json({
        error: {
          code: 'SANDBOX_WEBHOOK_UNREACHABLE',
          message: `Không gửi được sự kiện tới webhook: ${e instanceof Error ? e.message : String(e)}`,
        },
      });
    }
  }

  const envelope = (uid: string, eventName: string) => ({
    app_id: appId,
    user_id_by_app: userIdByApp(appId, uid),
    event_name: eventName,
    timestamp: String(Date.now()),
  });

  /** A user → OA event with a fresh msg_id, as Zalo sends user_send_*. */
  const fromUser = (uid: string, eventName: string, message: Record<string, unknown>) => {
    const msgId = crypto.randomBytes(10).toString('hex');
    return {
      msgId,
      event: {
        ...envelope(uid, eventName),
        sender: { id: uid },
        recipient: { id: oaId },
        message: { msg_id: msgId, ...message },
      },
    };
  };

  return { deliver, envelope, fromUser };
}
