import { Injectable } from '@nestjs/common';
import { VisageError, type VerifyResult } from '#contracts';
import { MessageClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import { groupNamedIn } from '../common/group-scope';
import type { VerifyBody } from './verify.dto';

@Injectable()
export class VerifyUseCases {
  constructor(private readonly rpc: MessageClient) {}

  /** Face to face, or face to a person of a person group or large person group (all the person's faces). */
  verify(caller: Caller, body: VerifyBody): Promise<VerifyResult> {
    const options = sendOptions(caller);
    const facePair = body.faceId1 !== undefined || body.faceId2 !== undefined;
    const faceToPerson =
      body.faceId !== undefined ||
      body.personId !== undefined ||
      body.largePersonGroupId !== undefined ||
      body.personGroupId !== undefined;
    if (facePair && faceToPerson) {
      throw new VisageError(
        'VALIDATION_ERROR',
        'Give either faceId1 and faceId2, or faceId, largePersonGroupId (or personGroupId) and personId, not both.',
      );
    }
    if (facePair) {
      if (!body.faceId1 || !body.faceId2) throw new VisageError('VALIDATION_ERROR', 'Give both faceId1 and faceId2.');
      const request = {
        tenantId: caller.tenantId,
        faceId1: body.faceId1.toLowerCase(),
        faceId2: body.faceId2.toLowerCase(),
      };
      return this.rpc.send('faces.verify', request, options);
    }
    if (!body.faceId || !body.personId) {
      throw new VisageError(
        'VALIDATION_ERROR',
        'Give faceId1 and faceId2, or faceId, largePersonGroupId (or personGroupId) and personId.',
      );
    }
    const request = {
      tenantId: caller.tenantId,
      faceId: body.faceId.toLowerCase(),
      ...groupNamedIn(body),
      personId: body.personId.toLowerCase(),
    };
    return this.rpc.send('faces.verify', request, options);
  }
}
