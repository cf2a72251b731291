import { createHash } from 'node:crypto';

/** What a write asks for, hashed: a reused Idempotency-Key with a different request is refused. */
export function fingerprintOf(...parts: unknown[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(Buffer.isBuffer(part) ? part : JSON.stringify(part ?? null)).update('\0');
  return hash.digest('hex');
}

/** Write request ids are scoped to the tenant, so two tenants can never collide on a key. */
export function writeRequestId(tenantId: string, idempotencyKey: string | undefined, fallback: string): string {
  return idempotencyKey ? `${tenantId}:key:${idempotencyKey}` : `${tenantId}:req:${fallback}`;
}
