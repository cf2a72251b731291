import { VisageError } from '#contracts';

/** The faceIds in lower case; a faceId given twice is refused, since one face cannot be two candidates. */
export function uniqueFaceIds(faceIds: string[], field: string): string[] {
  const seen = new Set<string>();
  for (const faceId of faceIds) {
    const id = faceId.toLowerCase();
    if (seen.has(id)) throw new VisageError('VALIDATION_ERROR', `${field} holds ${id} more than once.`);
    seen.add(id);
  }
  return [...seen];
}
