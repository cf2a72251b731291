import { createHash, randomUUID } from 'node:crypto';
import type { IdempotentWrite, Pattern } from '#contracts';
import type { Caller } from './caller';

/**
 * What the store records of a write. With an Idempotency-Key the write is bound, for as long as the store
 * remembers it, to the caller's tenant (in the id) and to the operation, its target and its body (in the
 * fingerprint): the same request again gets the first answer, another request with the key is refused. Without
 * a key each HTTP request is a write of its own; x-request-id only names the request in logs, and two requests
 * may share it.
 */
export function idempotentWrite(
  caller: Caller,
  idempotencyKey: string | undefined,
  operation: Pattern,
  ...request: unknown[]
): IdempotentWrite {
  return {
    requestId: idempotencyKey ? `${caller.tenantId}:key:${idempotencyKey}` : `${caller.tenantId}:req:${randomUUID()}`,
    fingerprint: fingerprintOf(operation, ...request),
  };
}

function fingerprintOf(...parts: unknown[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(Buffer.isBuffer(part) ? part : JSON.stringify(part ?? null)).update('\0');
  return hash.digest('hex');
}
