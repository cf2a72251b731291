import { Collections, Limits, VisageError } from '#contracts';
import type { GroupPath } from '../groups/collection-routes';

/**
 * Identify and verify name their group as Azure does, by `largePersonGroupId` or `personGroupId` (one of them);
 * a malformed id is "not found" of its kind, as in Azure.
 */
export function groupNamedIn(body: { largePersonGroupId?: string; personGroupId?: string }): GroupPath {
  const { largePersonGroupId, personGroupId } = body;
  if (largePersonGroupId !== undefined && personGroupId !== undefined) {
    throw new VisageError('GROUP_IDS_BOTH_GIVEN', 'Give largePersonGroupId or personGroupId, not both.');
  }
  if (largePersonGroupId === undefined && personGroupId === undefined) {
    throw new VisageError('GROUP_IDS_BOTH_MISSING', 'Give largePersonGroupId or personGroupId.');
  }
  const group: GroupPath =
    personGroupId !== undefined
      ? { kind: 'personGroup', groupId: personGroupId }
      : { kind: 'largePersonGroup', groupId: largePersonGroupId! };
  if (!Limits.groupIdPattern.test(group.groupId)) throw new VisageError(Collections[group.kind].errors.notFound);
  return group;
}
