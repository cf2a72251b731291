/**
 * Downloads the image behind a `{"url": ...}` body without letting a caller reach internal services (SSRF):
 * every hop is resolved, vetted and then connected to by the vetted address only.
 */
import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { Limits, VisageError } from '#contracts';

export interface ImageFetchPolicy {
  /** Whole download (DNS, redirects and body), default 10000. */
  timeoutMs: number;
  /** Default 3. */
  maxRedirects: number;
  /** Default Limits.imageMaxBytes. */
  maxBytes: number;
  /** Hosts or CIDR ranges admitted even though private/loopback, e.g. ['127.0.0.1/32', 'localhost', '10.0.0.0/8']. */
  allow: string[];
}

export const defaultImageFetchPolicy: ImageFetchPolicy = {
  timeoutMs: 10_000,
  maxRedirects: 3,
  maxBytes: Limits.imageMaxBytes,
  allow: [],
};

const family = (address: string) => (net.isIPv6(address) ? 'ipv6' : 'ipv4');

/** Addresses that are not the public internet: loopback, private, link-local (cloud metadata), CGNAT, etc. */
const internal = new net.BlockList();
const internalRanges = [
  // 240/4 holds broadcast; the three TEST-NETs and 2001:db8::/32 are documentation ranges, never real hosts.
  '0.0.0.0/8 10.0.0.0/8 100.64.0.0/10 127.0.0.0/8 169.254.0.0/16 172.16.0.0/12 192.0.0.0/24 192.0.2.0/24',
  '192.168.0.0/16 198.18.0.0/15 198.51.100.0/24 203.0.113.0/24 224.0.0.0/4 240.0.0.0/4',
  '::1/128 fc00::/7 fe80::/10 ff00::/8 2001:db8::/32',
  // IPv6 forms that carry an IPv4 address a gateway or tunnel may deliver to (127.0.0.1 or 10.x inside):
  // IPv4-compatible (also holds ::), NAT64 well-known and local-use prefixes, 6to4, Teredo.
  '::/96 64:ff9b::/96 64:ff9b:1::/48 2002::/16 2001::/32',
].join(' ');
for (const range of internalRanges.split(' ')) {
  const [prefix, bits] = range.split('/');
  internal.addSubnet(prefix, +bits, family(prefix));
}
// BlockList also matches IPv4-mapped IPv6 (::ffff:127.0.0.1, ::ffff:7f00:1) against the IPv4 rules above.

/** Whether an IP address is outside the public internet (before any URL_FETCH_ALLOW exception). */
export function isReservedAddress(address: string): boolean {
  return internal.check(address, family(address));
}

const hostPattern =
  /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** Parses `URL_FETCH_ALLOW`: comma separated hosts, addresses or CIDR ranges; throws naming a bad entry. */
export function parseAllowList(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const valid =
      bits === undefined
        ? net.isIP(address) !== 0 || hostPattern.test(address)
        : extra === undefined &&
          /^\d{1,3}$/.test(bits) &&
          net.isIP(address) !== 0 &&
          +bits <= (net.isIPv6(address) ? 128 : 32);
    if (!valid)
      throw new Error(
        `Invalid URL fetch allow-list entry "${entry}": expected a host name, an address or a CIDR range.`,
      );
  }
  return entries;
}

const invalid = (message: string) => new VisageError('INVALID_URL', message);
const redirects = new Set([301, 302, 303, 307, 308]);

export class ImageFetcher {
  private readonly allowedHosts = new Set<string>();
  private readonly allowedNets = new net.BlockList();

  constructor(private readonly policy: ImageFetchPolicy) {
    for (const entry of parseAllowList(policy.allow.join(','))) {
      const [address, bits] = entry.split('/');
      if (bits !== undefined) this.allowedNets.addSubnet(address, +bits, family(address));
      else if (net.isIP(address)) this.allowedNets.addAddress(address, family(address));
      else this.allowedHosts.add(address.toLowerCase().replace(/\.$/, ''));
    }
  }

  /** Downloads the body at `url`; INVALID_URL for any refusal or failure, IMAGE_TOO_LARGE above maxBytes. */
  async fetch(url: string): Promise<Buffer> {
    // One deadline for the whole download, so a slow-drip server or a redirect loop cannot hold a worker.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.policy.timeoutMs);
    try {
      let target = parseTarget(url);
      for (let hop = 0; ; hop++) {
        // WHATWG URL brackets IPv6 literals ([::1]); lookup and the allow list want the bare address.
        const address = await abortable(this.vet(target.hostname.replace(/^\[(.*)\]$/, '$1')), deadline.signal);
        const response = await this.request(target, address, deadline.signal);
        const status = response.statusCode ?? 0;
        if (redirects.has(status) && response.headers.location) {
          response.destroy();
          // Each hop is vetted again: an allowed public host may redirect to 169.254.169.254.
          if (hop >= this.policy.maxRedirects)
            throw invalid(`Too many redirects (more than ${this.policy.maxRedirects}).`);
          target = parseTarget(response.headers.location, target);
          continue;
        }
        if (status < 200 || status >= 300) {
          response.destroy();
          throw invalid(`Image download failed: ${target.host} answered HTTP ${status}.`);
        }
        return await this.read(response);
      }
    } catch (error) {
      if (deadline.signal.aborted) throw invalid(`Image download timed out after ${this.policy.timeoutMs} ms.`);
      if (error instanceof VisageError) throw error;
      throw invalid(`Image download failed: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves every address of the host and refuses if any is internal, so no record can point inside. */
  private async vet(hostname: string): Promise<dns.LookupAddress> {
    let addresses: dns.LookupAddress[];
    try {
      addresses = await dns.promises.lookup(hostname, { all: true, verbatim: true });
    } catch (error) {
      throw invalid(
        `Could not resolve image host "${hostname}" (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      );
    }
    if (addresses.length === 0) throw invalid(`Image host "${hostname}" has no address.`);
    if (this.allowedHosts.has(hostname.replace(/\.$/, ''))) return addresses[0];
    for (const { address } of addresses) {
      if (isReservedAddress(address) && !this.allowedNets.check(address, family(address))) {
        throw invalid(
          `Image host "${hostname}" resolves to a private or reserved address (${address}), which is not allowed.`,
        );
      }
    }
    return addresses[0];
  }

  private request(target: URL, vetted: dns.LookupAddress, signal: AbortSignal): Promise<http.IncomingMessage> {
    // Connect to the address just vetted (no second DNS answer can rebind it); Host and SNI keep the original name.
    const lookup: net.LookupFunction = (_host, options, callback) =>
      options.all ? callback(null, [vetted]) : callback(null, vetted.address, vetted.family);
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(target, {
        method: 'GET',
        lookup,
        signal,
        agent: false,
        headers: { accept: 'image/*' },
      });
      request.on('response', resolve).on('error', reject).end();
    });
  }

  /** Streams the body with a running count, so an oversized or endless body is cut off at the cap. */
  private async read(response: http.IncomingMessage): Promise<Buffer> {
    const max = this.policy.maxBytes;
    const tooLarge = () => new VisageError('IMAGE_TOO_LARGE', `Image is larger than ${max} bytes.`);
    if (Number(response.headers['content-length'] ?? 0) > max) {
      response.destroy();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) {
        response.destroy();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  }
}

/** Only http(s) without credentials: other schemes (file:, ftp:, gopher:) reach things a web fetch should not. */
function parseTarget(value: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    throw invalid('Image URL is not a valid absolute http(s) URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid(`Image URL scheme "${url.protocol}" is not allowed; use http or https.`);
  if (url.username || url.password) throw invalid('Image URL must not contain credentials.');
  return url;
}

/** DNS lookups cannot be cancelled; the deadline still wins the race. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
