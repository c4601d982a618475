import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import axios, { isAxiosError } from 'axios';
import { AttachmentRefusal, checkSource, guardedLookup, type SourcePolicy } from './source-guard';
import { MIME, SNIFF_BYTES, sniff, type AttachmentTypeName } from './types';

export interface DownloadOptions {
  policy: SourcePolicy;
  maxBytes: number;
  /** Accepted type names (ATTACHMENT_TYPE_NAMES). */
  types: readonly string[];
  /** Deadline of the whole download, connection to last byte. */
  timeoutMs: number;
  /** The name the file was sent with: only breaks ties inside ZIP/OLE2 containers. */
  declaredName?: string | null;
  /** Where the temporary file goes (same filesystem as the store, so the final move is a rename). */
  tmpDir: string;
}

export interface Downloaded {
  tmpPath: string;
  bytes: number;
  sha256: string;
  type: AttachmentTypeName;
  mime: string;
}

/** A transient failure (HTTP error, network, timeout): the job is retried. */
export class DownloadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** Counts, hashes and sniffs the bytes as they pass; stops the stream at the limit or a wrong type. */
class Inspector extends Transform {
  bytes = 0;
  type: AttachmentTypeName | undefined;
  /** Why this inspector stopped the stream, if it did. */
  refusal: AttachmentRefusal | undefined;
  private readonly hash = crypto.createHash('sha256');
  private head: Buffer[] = [];
  private headBytes = 0;
  private decided = false;

  constructor(private readonly opts: DownloadOptions) {
    super();
  }

  private decide(): void {
    this.decided = true;
    const head = Buffer.concat(this.head);
    this.head = [];
    const type = sniff(head, this.opts.declaredName ?? undefined);
    if (!type || !this.opts.types.includes(type))
      throw new AttachmentRefusal('type_not_allowed', `content is ${type ?? 'of an unknown type'}`);
    this.type = type;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.bytes += chunk.length;
      if (this.bytes > this.opts.maxBytes)
        throw new AttachmentRefusal('too_large', `more than ${this.opts.maxBytes} bytes`);
      this.hash.update(chunk);
      if (!this.decided) {
        this.head.push(chunk);
        this.headBytes += chunk.length;
        if (this.headBytes >= SNIFF_BYTES) this.decide();
      }
      done(null, chunk);
    } catch (e) {
      this.refuse(e, done);
    }
  }

  private refuse(e: unknown, done: TransformCallback): void {
    if (e instanceof AttachmentRefusal) this.refusal = e;
    done(e as Error);
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.bytes === 0) throw new AttachmentRefusal('empty', 'no content');
      if (!this.decided) this.decide();
      done();
    } catch (e) {
      this.refuse(e, done);
    }
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** The refusal inside an error axios or the stream wrapped, if any. */
function refusalIn(e: unknown): AttachmentRefusal | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    if (cur instanceof AttachmentRefusal) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Node's codes for a connection that failed or closed before the last byte: a retry may succeed. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ABORT_ERR',
]);

/**
 * Read by shape, not `instanceof`: errors from Node's own modules come from another realm under jest's
 * VM, and wrapping them as `new Error(String(e))` lost their code (a dropped connection became INTERNAL).
 */
function asFailure(e: unknown, bytesSoFar: number | undefined): Error {
  const refusal = refusalIn(e);
  if (refusal) return refusal;
  if (isAxiosError(e) && e.response) return new DownloadError(`ATTACHMENT_HTTP_${e.response.status}`, e.message);
  const { code, name, message } = (e ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(e);
  if (isAxiosError(e) || name === 'AbortError' || (typeof code === 'string' && NETWORK_CODES.has(code))) {
    const after = bytesSoFar === undefined ? '' : ` after ${bytesSoFar} bytes`;
    const coded = typeof code === 'string' ? ` (${code})` : '';
    return new DownloadError('ATTACHMENT_UNREACHABLE', `${text}${after}${coded}`);
  }
  // Another realm's Error is still an error: thrown as it is, it keeps its code and stack.
  return typeof message === 'string' ? (e as Error) : new Error(text);
}

/**
 * Streams one attachment into a temporary file: only from an allowed source, refused as soon as it
 * passes the size limit or its first bytes show a type not accepted. The caller moves the file into
 * the store (or deletes it).
 */
export async function downloadToTemp(rawUrl: string, opts: DownloadOptions): Promise<Downloaded> {
  const { url, allowPrivate } = checkSource(rawUrl, opts.policy);
  await fs.promises.mkdir(opts.tmpDir, { recursive: true });
  const tmpPath = path.join(opts.tmpDir, `${crypto.randomBytes(12).toString('hex')}.part`);
  const abort = new AbortController();
  const deadline = setTimeout(() => abort.abort(), opts.timeoutMs);
  let inspector: Inspector | undefined;
  try {
    const res = await axios.get(url.href, {
      responseType: 'stream',
      signal: abort.signal,
      timeout: opts.timeoutMs,
      maxRedirects: 3,
      decompress: true,
      lookup: guardedLookup(allowPrivate) as never,
      // A redirect is checked like the first URL, and may not leave the sandbox origin for the internet or back.
      beforeRedirect: (options) => {
        const next = checkSource(String(options.href), opts.policy);
        if (next.allowPrivate !== allowPrivate)
          throw new AttachmentRefusal('host_forbidden', 'redirect leaves the allowed source');
      },
      headers: { Accept: '*/*' },
    });
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      res.data.destroy();
      throw new AttachmentRefusal('too_large', `Content-Length ${declared} is above ${opts.maxBytes}`);
    }
    inspector = new Inspector(opts);
    await pipeline(res.data, inspector, fs.createWriteStream(tmpPath, { flags: 'wx' }), { signal: abort.signal });
    return {
      tmpPath,
      bytes: inspector.bytes,
      sha256: inspector.digest(),
      type: inspector.type!,
      mime: MIME[inspector.type!],
    };
  } catch (e) {
    abort.abort();
    await fs.promises.rm(tmpPath, { force: true });
    // Our own refusal comes first: the "aborted" the response may report before it is only its echo.
    throw asFailure(inspector?.refusal ?? e, inspector?.bytes);
  } finally {
    clearTimeout(deadline);
  }
}
