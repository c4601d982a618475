import dns from 'node:dns';
import net from 'node:net';
import { UnrecoverableError } from 'bullmq';

/** Why a download was refused; stored as attachments.refusal_reason and used to pick the citizen's reply. */
export type RefusalReason = 'too_large' | 'type_not_allowed' | 'host_forbidden' | 'bad_url' | 'empty';

/** A refusal no retry can change: BullMQ fails the job at once (and it is dead-lettered). */
export class AttachmentRefusal extends UnrecoverableError {
  readonly code: string;
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(`${reason}: ${message}`);
    this.name = 'AttachmentRefusal';
    this.code = `ATTACHMENT_${reason.toUpperCase()}`;
  }
}

/** Where downloads may come from: Zalo's CDN hosts, and exact origins (the sandbox stand-in) even if private. */
export interface SourcePolicy {
  hosts: readonly string[];
  origins: readonly string[];
}

// Loopback, private, link-local, CGNAT, benchmark, documentation, multicast and reserved ranges.
const blocked = new net.BlockList();
for (const [net4, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const)
  blocked.addSubnet(net4, bits, 'ipv4');
for (const [net6, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
] as const)
  blocked.addSubnet(net6, bits, 'ipv6');

/** True for any address a server on the internet would not have (SSRF guard). */
export function isPrivateAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family !== 6) return true;
  // IPv4-mapped and NAT64 addresses carry an IPv4 address that decides.
  const mapped = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  return blocked.check(ip, 'ipv6');
}

const hostMatches = (hostname: string, allowed: string) => hostname === allowed || hostname.endsWith(`.${allowed}`);

/**
 * Checks a URL before any connection: http(s) only, a Zalo host or an allowed origin. Returns whether
 * private addresses are acceptable for it (only for an allowed origin such as the sandbox stand-in).
 */
export function checkSource(raw: string, policy: SourcePolicy): { url: URL; allowPrivate: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AttachmentRefusal('bad_url', 'not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new AttachmentRefusal('bad_url', `protocol ${url.protocol} is not allowed`);
  if (url.username || url.password) throw new AttachmentRefusal('bad_url', 'credentials in URL');
  if (policy.origins.includes(url.origin)) return { url, allowPrivate: true };
  const hostname = url.hostname.toLowerCase().replace(/\.$/, '');
  if (net.isIP(hostname.replace(/^\[|\]$/g, '')) || !policy.hosts.some((h) => hostMatches(hostname, h)))
    throw new AttachmentRefusal('host_forbidden', `host ${hostname} is not a Zalo host`);
  return { url, allowPrivate: false };
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;
type Resolver = (
  hostname: string,
  cb: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

const systemResolver: Resolver = (hostname, cb) => dns.lookup(hostname, { all: true }, cb);

/**
 * A `lookup` for the HTTP agent that refuses private addresses. It runs at connect time, for the
 * first request and every redirect, so a DNS answer cannot steer a download into our own network.
 */
export function guardedLookup(allowPrivate: boolean, resolve: Resolver = systemResolver) {
  return (hostname: string, options: { all?: boolean }, cb: LookupCallback): void => {
    resolve(hostname, (err, addresses) => {
      if (err) return cb(err, []);
      const bad = addresses.find((a) => isPrivateAddress(a.address));
      if (!allowPrivate && (bad || !addresses.length)) {
        const refusal = new AttachmentRefusal('host_forbidden', `${hostname} resolves to a private address`);
        return cb(refusal as unknown as NodeJS.ErrnoException, []);
      }
      if (options.all) return cb(null, addresses);
      const first = addresses[0]!;
      cb(null, first.address, first.family);
    });
  };
}
