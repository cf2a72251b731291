import { InitialSchema1764201600000 } from './1764201600000-initial-schema';

/** In order of application. */
export const migrations = [InitialSchema1764201600000];
