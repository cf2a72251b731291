/** What adding a face writes, whoever owns the face (a person, or a face list): one place for both statements. */
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

/** What an add-face statement answers: the earlier result of the request, the owner's count, whether it added. */
export interface AddFaceOutcome {
  prior_fingerprint: string | null;
  prior_reply: unknown;
  /** Null when the owner is missing. */
  face_count: number | null;
  added: boolean;
}
