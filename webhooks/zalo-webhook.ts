import type { IncomingMessage, ServerResponse } from 'node:http';
import { log } from '../src/log';
import type { InboundJob } from '../src/queues/queues';
import { verifySignature } from './signature';
import { dedupeKeyOf, envelopeSchema, eventProblem } from './zalo-events';

export interface WebhookDeps {
  appId: string;
  secret: string;
  /** Durably stores the event (src/queues/intake-stream.ts); rejects when Redis cannot take it. */
  enqueue: (job: InboundJob) => Promise<void>;
  bodyLimitKb: number;
  /** How long to wait for Redis before answering 503 (Zalo allows 2 s in all). */
  enqueueTimeoutMs?: number;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

export interface WebhookAnswer {
  status: number;
  body: object;
  headers?: Record<string, string>;
}

const answer = (status: number, code: string, message: string, headers?: Record<string, string>): WebhookAnswer => ({
  status,
  body: { error: { code, message } },
  headers,
});

/**
 * Verify, validate, enqueue durably, answer. Everything else happens in the workers, so the answer
 * leaves well within Zalo's 2 s. A 200 means the event is in Redis.
 */
export async function ingestZaloEvent(
  raw: Buffer,
  signature: string | undefined,
  deps: WebhookDeps,
): Promise<WebhookAnswer> {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return answer(400, 'WEBHOOK_BAD_JSON', 'The body is not valid JSON.');
  }
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) {
    return answer(400, 'WEBHOOK_NOT_AN_EVENT', 'The body lacks app_id, event_name or timestamp as strings.');
  }
  const event = envelope.data;
  if (event.app_id !== deps.appId || !verifySignature(signature, event.app_id, raw, event.timestamp, deps.secret)) {
    return answer(401, 'WEBHOOK_BAD_SIGNATURE', 'Missing or wrong X-ZEvent-Signature.');
  }
  const dedupeKey = dedupeKeyOf(event);
  const problem = eventProblem(event);
  if (problem) log.warn('webhook event failed its schema; stored for review', { event: event.event_name, problem });
  const job: InboundJob = {
    dedupeKey,
    eventName: event.event_name,
    raw: raw.toString('utf8'),
    receivedAt: new Date().toISOString(),
    ...(problem ? { problem } : {}),
  };
  try {
    await withTimeout(deps.enqueue(job), deps.enqueueTimeoutMs ?? 1500);
  } catch (e) {
    log.error('webhook could not enqueue; answering 503 so Zalo redelivers', { error: e });
    return answer(503, 'REDIS_UNAVAILABLE', 'The event could not be stored; please redeliver.', {
      'Retry-After': '30',
    });
  }
  return { status: 200, body: { ok: true } };
}

/**
 * POST /webhooks/zalo as a plain node:http handler: the server calls it before Express (the
 * hottest path skips the framework: measured about half the CPU per request), and Express mounts
 * the same handler, so both paths answer alike.
 */
export function createZaloWebhookHandler(deps: WebhookDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const limit = deps.bodyLimitKb * 1024;
  const send = (res: ServerResponse, a: WebhookAnswer) => {
    res.writeHead(a.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      ...a.headers,
    });
    res.end(JSON.stringify(a.body));
  };
  return (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > limit) {
        refused = true;
        // Answer at once and stop reading: an oversized body is never buffered whole.
        send(
          res,
          answer(413, 'WEBHOOK_TOO_LARGE', `The body exceeds ${deps.bodyLimitKb} KB.`, { connection: 'close' }),
        );
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (refused) return;
      const signature = req.headers['x-zevent-signature'];
      void ingestZaloEvent(Buffer.concat(chunks), Array.isArray(signature) ? signature[0] : signature, deps).then(
        (a) => send(res, a),
        (e: unknown) => {
          log.error('webhook failed', { error: e });
          send(res, answer(500, 'INTERNAL', 'Internal error.'));
        },
      );
    });
    req.on('error', () => {
      if (!res.headersSent) send(res, answer(400, 'WEBHOOK_BAD_REQUEST', 'The request could not be read.'));
    });
  };
}
