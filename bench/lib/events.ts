import crypto from 'node:crypto';

// Credentials the hotline child is started with; the stand-in Zalo API accepts any token.
export const APP_ID = '3608465248940903967';
export const OA_ID = '388613280878808645';
export const OA_SECRET = 'bench-oa-secret-key';
export const APP_SECRET = 'bench-app-secret';

/**
 * Signed exactly as /work/shared/zalo-oa.md §1 says, written out here rather than imported from
 * webhooks/signature.ts: if the app's verifier drifted from the spec, every request would come back
 * 401 and the benchmark would say so, instead of agreeing with the app's own bug.
 */
export function zaloSignature(appId: string, rawBody: string, timestamp: string, secret: string): string {
  return `mac=${crypto
    .createHash('sha256')
    .update(appId + rawBody + timestamp + secret)
    .digest('hex')}`;
}

export interface SignedEvent {
  seq: number;
  userId: string;
  body: string;
  headers: Record<string, string>;
}

const TEXTS = [
  'Cho tôi hỏi thủ tục cấp lại CCCD',
  'Hồ sơ đăng ký khai sinh của tôi nộp 2 tuần chưa có kết quả',
  'Phản ánh cán bộ phường hẹn lên hẹn xuống nhiều lần',
  'Xin hỏi lệ phí chứng thực bản sao là bao nhiêu',
];

/**
 * A deterministic stream of distinct user_send_text events: event `seq` of stream `tag` is the same
 * bytes whoever asks, so the baseline and the hotline receive identical bodies. Each event comes
 * from its own citizen (user id = 7 + tag + seq), with its own msg_id and timestamp, so the
 * hotline's dedupe never short-cuts the work and each reply can be matched to its message.
 */
export class EventStream {
  private seq = 0;

  /** `tag`: 6 digits that keep this run's citizens apart from any earlier run's (shared Postgres). */
  constructor(
    readonly tag: string,
    private readonly baseTs = Date.now(),
  ) {
    if (!/^\d{6}$/.test(tag)) throw new Error('tag must be 6 digits');
  }

  /** The user-id prefix of every citizen of this stream (for counting rows afterwards). */
  get userPrefix(): string {
    return `7${this.tag}`;
  }

  reset(): void {
    this.seq = 0;
  }

  next(): SignedEvent {
    const seq = this.seq++;
    const userId = `${this.userPrefix}${String(seq).padStart(12, '0')}`;
    const timestamp = String(this.baseTs + seq);
    // Property order and string ids as Zalo sends them; ids exceed 2^53, hence strings.
    const body = JSON.stringify({
      app_id: APP_ID,
      user_id_by_app: `9${userId}`,
      event_name: 'user_send_text',
      timestamp,
      sender: { id: userId },
      recipient: { id: OA_ID },
      message: {
        msg_id: `bm${this.tag}${seq.toString(16).padStart(12, '0')}`,
        text: `${TEXTS[seq % TEXTS.length]} (#${seq})`,
      },
    });
    return {
      seq,
      userId,
      body,
      headers: {
        'content-type': 'application/json',
        'x-zevent-signature': zaloSignature(APP_ID, body, timestamp, OA_SECRET),
      },
    };
  }
}

/** A random tag per run, so reruns against one shared database do not collide on citizens or msg_ids. */
export function runTag(): string {
  return String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Microseconds to build and sign one event, measured here so the report can show it is negligible. */
export function signingCostUs(samples = 20_000): number {
  const s = new EventStream('000000');
  for (let i = 0; i < 2000; i++) s.next(); // warm the JIT first
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < samples; i++) s.next();
  return Number(process.hrtime.bigint() - t0) / 1000 / samples;
}
