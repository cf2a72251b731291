import { InitialSchema1764201600000 } from './1764201600000-initial-schema';
import { Recognition1764205200000 } from './1764205200000-recognition';
import { EncodedSnapshots1764288000000 } from './1764288000000-encoded-snapshots';
import { DetectedFaceTally1764637200000 } from './1764637200000-detected-face-tally';
import { ForgottenRequestIds1764640800000 } from './1764640800000-forgotten-request-ids';
import { SnapshotIdentity1764720000000 } from './1764720000000-snapshot-identity';
import { CollectionKinds1764806400000 } from './1764806400000-collection-kinds';
import { FaceLists1764810000000 } from './1764810000000-face-lists';
import { EntryDeletions1764892800000 } from './1764892800000-entry-deletions';

/** In order of application. */
export const migrations = [
  InitialSchema1764201600000,
  Recognition1764205200000,
  EncodedSnapshots1764288000000,
  DetectedFaceTally1764637200000,
  ForgottenRequestIds1764640800000,
  SnapshotIdentity1764720000000,
  CollectionKinds1764806400000,
  FaceLists1764810000000,
  EntryDeletions1764892800000,
];
