/** What adding a face answers, whoever owns the face (a person, or a face list). */
import { randomUUID } from 'node:crypto';
import type { AddFaceReply, AddFaceRequest } from '#contracts';

/** The answer of a face about to be stored; its id and time are made once, so a replay returns them unchanged. */
export function newFaceReply(
  request: Pick<AddFaceRequest, 'faceRectangle' | 'detectionModel' | 'recognitionModel'>,
): AddFaceReply {
  return {
    persistedFaceId: randomUUID(),
    createdAt: new Date().toISOString(),
    faceRectangle: request.faceRectangle,
    detectionModel: request.detectionModel,
    recognitionModel: request.recognitionModel,
  };
}
