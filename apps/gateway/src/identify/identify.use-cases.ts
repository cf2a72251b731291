import { Injectable } from '@nestjs/common';
import type { IdentifyResult } from '#contracts';
import { MessageClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import { groupNamedIn } from '../common/group-scope';
import type { IdentifyBody } from './identify.dto';

const defaultCandidates = 10;

@Injectable()
export class IdentifyUseCases {
  constructor(private readonly rpc: MessageClient) {}

  /** Each faceId against the group's last successful training: candidates best first. */
  identify(caller: Caller, body: IdentifyBody): Promise<IdentifyResult[]> {
    return this.rpc.send(
      'faces.identify',
      {
        tenantId: caller.tenantId,
        ...groupNamedIn(body),
        faceIds: body.faceIds.map((id) => id.toLowerCase()),
        maxNumOfCandidatesReturned: body.maxNumOfCandidatesReturned ?? defaultCandidates,
        confidenceThreshold: body.confidenceThreshold,
      },
      sendOptions(caller),
    );
  }
}
