import { InitialSchema1764201600000 } from './1764201600000-initial-schema';
import { Recognition1764205200000 } from './1764205200000-recognition';

/** In order of application. */
export const migrations = [InitialSchema1764201600000, Recognition1764205200000];
