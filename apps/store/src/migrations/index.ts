import { InitialSchema1764201600000 } from './1764201600000-initial-schema';
import { Recognition1764205200000 } from './1764205200000-recognition';
import { EncodedSnapshots1764288000000 } from './1764288000000-encoded-snapshots';
import { ForgottenRequestIds1764640800000 } from './1764640800000-forgotten-request-ids';

/** In order of application. */
export const migrations = [
  InitialSchema1764201600000,
  Recognition1764205200000,
  EncodedSnapshots1764288000000,
  ForgottenRequestIds1764640800000,
];
