import { Limits, VisageError } from '#contracts';

/** Identify and verify name their group as Azure does; only the large person group family is served. */
export function requireLargePersonGroup(largePersonGroupId?: string, personGroupId?: string): string {
  if (personGroupId !== undefined) {
    throw new VisageError('VALIDATION_ERROR', 'personGroupId is not supported; use largePersonGroupId.');
  }
  if (largePersonGroupId === undefined) throw new VisageError('VALIDATION_ERROR', 'largePersonGroupId is required.');
  if (!Limits.groupIdPattern.test(largePersonGroupId)) throw new VisageError('GROUP_NOT_FOUND');
  return largePersonGroupId;
}
