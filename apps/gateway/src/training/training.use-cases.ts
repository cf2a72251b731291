import { Injectable } from '@nestjs/common';
import type { TrainingStatusView } from '#contracts';
import { MessageClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import { idempotentWrite } from '../common/idempotent-write';
import type { GroupPath } from '../groups/collection-routes';

@Injectable()
export class TrainingUseCases {
  constructor(private readonly rpc: MessageClient) {}

  /** Starts an asynchronous training; poll `status` until succeeded or failed. */
  start(caller: Caller, group: GroupPath, idempotencyKey?: string): Promise<TrainingStatusView> {
    return this.rpc.send(
      'training.start',
      { tenantId: caller.tenantId, ...group, ...idempotentWrite(caller, idempotencyKey, 'training.start', group) },
      sendOptions(caller),
    );
  }

  status(caller: Caller, group: GroupPath): Promise<TrainingStatusView> {
    return this.rpc.send('training.status', { tenantId: caller.tenantId, ...group }, sendOptions(caller));
  }
}
