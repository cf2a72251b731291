import { Injectable } from '@nestjs/common';
import type { TrainingStatusView } from '#contracts';
import { RpcClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import { idempotentWrite } from '../common/idempotent-write';

@Injectable()
export class TrainingUseCases {
  constructor(private readonly rpc: RpcClient) {}

  /** Starts an asynchronous training; poll `status` until succeeded or failed. */
  start(caller: Caller, groupId: string, idempotencyKey?: string): Promise<TrainingStatusView> {
    return this.rpc.send(
      'training.start',
      { tenantId: caller.tenantId, groupId, ...idempotentWrite(caller, idempotencyKey, 'training.start', groupId) },
      sendOptions(caller),
    );
  }

  status(caller: Caller, groupId: string): Promise<TrainingStatusView> {
    return this.rpc.send('training.status', { tenantId: caller.tenantId, groupId }, sendOptions(caller));
  }
}
