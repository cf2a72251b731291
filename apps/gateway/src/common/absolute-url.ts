/**
 * Absolute URLs for headers such as operation-Location (the Azure REST client's poller needs an absolute one),
 * built from the request's own scheme and Host, so they work behind whatever name the caller used.
 */
export interface UrlSource {
  protocol: string;
  headers: Record<string, string | string[] | undefined>;
}

export function absoluteUrl(request: UrlSource, path: string): string {
  const host = String(request.headers['x-forwarded-host'] ?? request.headers.host ?? 'localhost')
    .split(',')[0]!
    .trim();
  const forwardedProto = String(request.headers['x-forwarded-proto'] ?? '')
    .split(',')[0]!
    .trim();
  const protocol = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : request.protocol;
  return `${protocol}://${host}${path}`;
}
