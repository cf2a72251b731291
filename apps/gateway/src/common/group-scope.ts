import { Limits, VisageError } from '#contracts';

/** Identify and verify name their group as Azure does; a malformed group id is "not found", as in Azure. */
export function requireLargePersonGroup(largePersonGroupId?: string): string {
  if (largePersonGroupId === undefined) throw new VisageError('VALIDATION_ERROR', 'largePersonGroupId is required.');
  if (!Limits.groupIdPattern.test(largePersonGroupId)) throw new VisageError('GROUP_NOT_FOUND');
  return largePersonGroupId;
}
