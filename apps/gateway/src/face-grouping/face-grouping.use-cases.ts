import { Injectable } from '@nestjs/common';
import type { FaceGrouping } from '#contracts';
import { MessageClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import type { GroupFacesBody } from './face-grouping.dto';
import { uniqueFaceIds } from './face-ids';

@Injectable()
export class FaceGroupingUseCases {
  constructor(private readonly rpc: MessageClient) {}

  /** The faces divided into groups of one person each, and a messyGroup of those like no other. */
  group(caller: Caller, body: GroupFacesBody): Promise<FaceGrouping> {
    return this.rpc.send(
      'faces.group',
      { tenantId: caller.tenantId, faceIds: uniqueFaceIds(body.faceIds, 'faceIds') },
      sendOptions(caller),
    );
  }
}
