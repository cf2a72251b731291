/**
 * Which database errors retrying cannot fix. Data exceptions (SQLSTATE class 22: a NUL byte, a malformed uuid,
 * a number out of range) and integrity violations (class 23: a null in a required column, a broken reference)
 * fail the same way on every delivery, so the caller is answered at once instead of after the redeliveries and
 * the dead-letter queue. Serialization failures, deadlocks and lost connections stay faults and are retried, and
 * so do unique and foreign-key violations: those come from a race with another write (two deliveries of one
 * request, a person deleted meanwhile) that the next delivery answers properly, as a replay or a not-found.
 */
import { VisageError } from '#contracts';
import { pgErrorCode } from './views';

const refusals: Record<string, string> = {
  '22': 'A value of the request cannot be stored: it is malformed or out of range.',
  '23': 'The request breaks a rule of the stored data: a required value is missing or a reference is wrong.',
};

const racesSettledByRetry = new Set(['23503', '23505']);

export function classifyDatabaseFault(error: unknown): VisageError | undefined {
  const code = pgErrorCode(error);
  if (typeof code === 'string' && racesSettledByRetry.has(code)) return undefined;
  const refusal = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? refusals[code.slice(0, 2)] : undefined;
  return refusal === undefined ? undefined : new VisageError('VALIDATION_ERROR', refusal);
}
