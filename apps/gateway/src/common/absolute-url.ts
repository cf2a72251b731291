/**
 * Absolute URLs for headers such as operation-Location (the Azure REST client's poller needs an absolute one),
 * built from the request's own scheme and Host, so they work behind whatever name the caller used.
 * Express fills `protocol` and `host` from X-Forwarded-Proto and X-Forwarded-Host only for a peer that
 * TRUST_PROXY names: anyone else could otherwise point the URL at a host of their choosing.
 */
export interface UrlSource {
  protocol: string;
  host?: string;
}

export function absoluteUrl(request: UrlSource, path: string): string {
  const protocol = request.protocol === 'https' ? 'https' : 'http';
  return `${protocol}://${request.host ?? 'localhost'}${path}`;
}

/** Express's `trust proxy` setting for a TRUST_PROXY value: off, every peer, or the listed addresses. */
export function trustProxySetting(value: string): boolean | string {
  if (value === 'false') return false;
  if (value === 'true') return true;
  return value;
}
