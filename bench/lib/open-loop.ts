import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { SentLog } from '../../src/sandbox/fake-zalo-api';
import type { EventStream } from './events';
import { sleep } from './report';

/** One message of an open-loop run; times are performance.now() milliseconds of this process. */
export interface Sample {
  userId: string;
  scheduledAt: number;
  sentAt: number;
  status?: number;
  respondedAt?: number;
  repliedAt?: number;
}

export interface OpenLoopResult {
  samples: Sample[];
  /** Messages with no reply by the end of the grace period. */
  lost: number;
  /** POST errors (connection refused/reset), distinct from non-2xx answers. */
  errors: number;
  /** Replies beyond the first to one citizen: each event deserves exactly one. */
  duplicates: number;
}

/**
 * Sends `rate` signed events a second for `durationS` on a fixed timetable, whatever the server does
 * (open loop: a slow answer never delays the next send, unlike autocannon's closed loop, so queueing
 * inside the system under test shows up in the latencies instead of being hidden by a slower sender).
 * Each event's citizen is matched to the first CS message the stand-in records for them; the
 * 'message' listener runs synchronously inside SentLog.record(), i.e. at the instant `at` is stamped,
 * so performance.now() there is that same moment with sub-millisecond resolution.
 */
export async function runOpenLoop(opts: {
  url: string;
  stream: EventStream;
  sentLog: SentLog;
  rate: number;
  durationS: number;
  graceS: number;
}): Promise<OpenLoopResult> {
  const { url, stream, sentLog } = opts;
  const total = Math.round(opts.rate * opts.durationS);
  const interval = 1000 / opts.rate;
  const samples: Sample[] = [];
  const byUser = new Map<string, Sample>();
  let answered = 0;
  let errors = 0;
  let duplicates = 0;
  const onMessage = (m: { userId: string }) => {
    const s = byUser.get(m.userId);
    if (s && s.repliedAt !== undefined) duplicates++;
    if (s && s.repliedAt === undefined) {
      s.repliedAt = performance.now();
      answered++;
    }
  };
  sentLog.on('message', onMessage);
  // Unlimited sockets: an open-loop sender must not queue behind slow answers itself.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const target = new URL('/webhooks/zalo', url);

  const send = (scheduledAt: number) => {
    const e = stream.next();
    const s: Sample = { userId: e.userId, scheduledAt, sentAt: performance.now() };
    samples.push(s);
    byUser.set(e.userId, s);
    const req = http.request(target, {
      method: 'POST',
      agent,
      headers: { ...e.headers, 'content-length': Buffer.byteLength(e.body) },
    });
    req.on('response', (res) => {
      s.status = res.statusCode;
      s.respondedAt = performance.now();
      res.resume();
    });
    req.on('error', () => errors++);
    req.end(e.body);
  };

  try {
    const t0 = performance.now() + 50;
    let i = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        // Catch up on every slot that is due: a late timer never thins the schedule out.
        while (i < total && t0 + i * interval <= performance.now()) send(t0 + i++ * interval);
        if (i >= total) return resolve();
        setTimeout(tick, Math.max(0, t0 + i * interval - performance.now()));
      };
      tick();
    });
    const deadline = performance.now() + opts.graceS * 1000;
    while (answered < total && performance.now() < deadline) await sleep(50);
  } finally {
    sentLog.off('message', onMessage);
    agent.destroy();
  }
  return { samples, lost: total - answered, errors, duplicates };
}
