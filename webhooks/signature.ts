import crypto from 'node:crypto';

/**
 * Zalo signs each webhook as `mac=<hex>` where hex = SHA-256(app_id + rawBody + timestamp + secret),
 * a plain hash of the concatenation (not HMAC), over the exact bytes received.
 */
export function computeSignature(appId: string, rawBody: Buffer | string, timestamp: string, secret: string): string {
  return crypto.createHash('sha256').update(appId).update(rawBody).update(timestamp).update(secret).digest('hex');
}

export function signatureHeader(appId: string, rawBody: Buffer | string, timestamp: string, secret: string): string {
  return `mac=${computeSignature(appId, rawBody, timestamp, secret)}`;
}

/** Accepts `mac=<hex>` and the bare hex form; compares in constant time whatever the input length. */
export function verifySignature(
  header: string | undefined,
  appId: string,
  rawBody: Buffer,
  timestamp: string,
  secret: string,
): boolean {
  if (!header) return false;
  const given = header.trim().replace(/^mac=/i, '').toLowerCase();
  const expected = computeSignature(appId, rawBody, timestamp, secret);
  // Hashing both sides gives equal-length buffers, so timingSafeEqual never leaks the length.
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b) && given.length === expected.length;
}
