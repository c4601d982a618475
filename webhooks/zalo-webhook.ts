import crypto from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Queue } from 'bullmq';
import { log } from '../src/log';
import type { InboundJob } from '../src/queues/queues';
import { verifySignature } from './signature';
import { dedupeKeyOf, envelopeSchema, eventProblem } from './zalo-events';

export interface WebhookDeps {
  appId: string;
  secret: string;
  inbound: Pick<Queue<InboundJob>, 'add'>;
  bodyLimitKb: number;
  /** How long to wait for Redis before answering 503 (Zalo allows 2 s in all). */
  enqueueTimeoutMs?: number;
}

const fail = (res: Response, status: number, code: string, message: string) =>
  res.status(status).json({ error: { code, message } });

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** BullMQ ids may not contain ':'; a hash of the dedupe key is fixed-length and deterministic. */
export function inboundJobId(dedupeKey: string): string {
  return `ev-${crypto.createHash('sha256').update(dedupeKey).digest('hex').slice(0, 40)}`;
}

/**
 * POST /webhooks/zalo: verify, validate, enqueue durably, answer. Everything else happens in the
 * workers, so the answer leaves well within Zalo's 2 s. A 200 means the event is in Redis.
 */
export function createZaloWebhookRouter(deps: WebhookDeps): Router {
  const router = express.Router();
  const timeoutMs = deps.enqueueTimeoutMs ?? 1500;
  router.post(
    '/',
    express.raw({ type: () => true, limit: `${deps.bodyLimitKb}kb` }),
    async (req: Request, res: Response) => {
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return fail(res, 400, 'WEBHOOK_BAD_JSON', 'The body is not valid JSON.');
      }
      const envelope = envelopeSchema.safeParse(body);
      if (!envelope.success) {
        return fail(res, 400, 'WEBHOOK_NOT_AN_EVENT', 'The body lacks app_id, event_name or timestamp as strings.');
      }
      const event = envelope.data;
      const signature = req.get('x-zevent-signature');
      if (event.app_id !== deps.appId || !verifySignature(signature, event.app_id, raw, event.timestamp, deps.secret)) {
        return fail(res, 401, 'WEBHOOK_BAD_SIGNATURE', 'Missing or wrong X-ZEvent-Signature.');
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
        await withTimeout(deps.inbound.add('zalo-event', job, { jobId: inboundJobId(dedupeKey) }), timeoutMs);
      } catch (e) {
        log.error('webhook could not enqueue; answering 503 so Zalo redelivers', { error: e });
        res.set('Retry-After', '30');
        return fail(res, 503, 'REDIS_UNAVAILABLE', 'The event could not be stored; please redeliver.');
      }
      res.status(200).json({ ok: true });
    },
  );
  router.use((err: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.too.large')
      return fail(res, 413, 'WEBHOOK_TOO_LARGE', `The body exceeds ${deps.bodyLimitKb} KB.`);
    return fail(
      res,
      err.status && err.status < 500 ? err.status : 400,
      'WEBHOOK_BAD_REQUEST',
      'The request could not be read.',
    );
  });
  return router;
}
