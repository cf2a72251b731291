/** Limits of the Azure Face LargePersonGroup family (spec §2, §8). One place, used by every service. */
export const Limits = {
  groupIdPattern: /^[a-z0-9-_]{1,64}$/,
  nameMaxLength: 128,
  groupUserDataMaxLength: 16384,
  personUserDataMaxLength: 16384,
  faceUserDataMaxLength: 1024,
  listTopMax: 1000,
  listStartMaxLength: 64,
  facesPerPerson: 248,
  imageMinBytes: 1024,
  imageMaxBytes: 6 * 1024 * 1024,
  /** Decoding refuses pictures above this many pixels before allocating them. */
  imageMaxPixels: 40_000_000,
  faceMinPixels: 36,
  faceMaxPixels: 4096,
  /** Above this many pixels (1920x1080) the minimum face grows in proportion to the longer side. */
  faceMinReferencePixels: { width: 1920, height: 1080 },
  /** Objects and arrays nested in a JSON body or query; the API's own bodies use two levels. */
  jsonMaxDepth: 32,
} as const;

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value.toLowerCase());
}
