// autocannon ships no types and @types/autocannon is not installed: only what the benchmarks use.
declare module 'autocannon' {
  namespace autocannon {
    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p50: number;
      p90: number;
      p97_5: number;
      p99: number;
      p99_9: number;
      /** Requests sent (only on `requests`). */
      sent: number;
    }
    interface RawRequest {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
    }
    interface RequestSpec extends RawRequest {
      setupRequest?: (req: RawRequest, context: Record<string, unknown>) => RawRequest | undefined;
    }
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      amount?: number;
      timeout?: number;
      pipelining?: number;
      method?: string;
      headers?: Record<string, string>;
      requests?: RequestSpec[];
      warmup?: { connections?: number; duration?: number };
    }
    interface Result {
      requests: Histogram;
      latency: Histogram;
      throughput: Histogram;
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      '2xx': number;
      resets: number;
      statusCodeStats: Record<string, { count: number }>;
      start: Date;
      finish: Date;
      warmup?: Result;
    }
    interface Instance extends PromiseLike<Result> {
      stop(): void;
      on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): this;
    }
  }
  function autocannon(opts: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
