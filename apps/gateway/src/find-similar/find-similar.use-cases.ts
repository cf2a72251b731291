import { Injectable } from '@nestjs/common';
import { Limits, VisageError, type SimilarFace, type SimilarFaceTarget } from '#contracts';
import { RpcClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import { uniqueFaceIds } from '../face-grouping/face-ids';
import type { FindSimilarBody } from './find-similar.dto';

const defaultCandidates = 20;

@Injectable()
export class FindSimilarUseCases {
  constructor(private readonly rpc: RpcClient) {}

  /** The faces of the target most similar to the query face, best first. */
  findSimilar(caller: Caller, body: FindSimilarBody): Promise<SimilarFace[]> {
    return this.rpc.send(
      'faces.findSimilar',
      {
        tenantId: caller.tenantId,
        faceId: body.faceId.toLowerCase(),
        target: targetOf(body),
        maxNumOfCandidatesReturned: body.maxNumOfCandidatesReturned ?? defaultCandidates,
        mode: body.mode ?? 'matchPerson',
      },
      sendOptions(caller),
    );
  }
}

function targetOf(body: FindSimilarBody): SimilarFaceTarget {
  const given = (['faceIds', 'faceListId', 'largeFaceListId'] as const).filter((field) => body[field] !== undefined);
  if (given.length !== 1) {
    throw new VisageError(
      'VALIDATION_ERROR',
      given.length === 0
        ? 'Give one of faceIds, faceListId or largeFaceListId.'
        : `Give only one of faceIds, faceListId or largeFaceListId, not ${given.join(' and ')}.`,
    );
  }
  if (body.faceIds) return { kind: 'faceIds', faceIds: uniqueFaceIds(body.faceIds, 'faceIds') };
  // A malformed list id names no list: "not found", as a malformed group id is.
  if (body.faceListId !== undefined) {
    if (!Limits.groupIdPattern.test(body.faceListId)) throw new VisageError('FACE_LIST_NOT_FOUND');
    return { kind: 'faceList', faceListId: body.faceListId };
  }
  if (!Limits.groupIdPattern.test(body.largeFaceListId!)) throw new VisageError('LARGE_FACE_LIST_NOT_FOUND');
  return { kind: 'largeFaceList', largeFaceListId: body.largeFaceListId! };
}
