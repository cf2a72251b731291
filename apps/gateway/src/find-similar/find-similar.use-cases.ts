import { Injectable } from '@nestjs/common';
import { Collections, Limits, VisageError, type SimilarFace, type SimilarFaceTarget } from '#contracts';
import { MessageClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import { uniqueFaceIds } from '../face-grouping/face-ids';
import type { FindSimilarBody } from './find-similar.dto';

const defaultCandidates = 20;

@Injectable()
export class FindSimilarUseCases {
  constructor(private readonly rpc: MessageClient) {}

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
  const list =
    body.faceListId !== undefined
      ? { kind: 'faceList' as const, groupId: body.faceListId }
      : { kind: 'largeFaceList' as const, groupId: body.largeFaceListId! };
  // A malformed list id names no list: "not found", as a malformed group id is.
  if (!Limits.groupIdPattern.test(list.groupId)) throw new VisageError(Collections[list.kind].errors.notFound);
  return list;
}
