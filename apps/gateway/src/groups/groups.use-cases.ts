import { Injectable } from '@nestjs/common';
import { defaultRecognitionModel, VisageError, type GroupView } from '#contracts';
import { RpcClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import { idempotentWrite } from '../common/idempotent-write';
import { GroupModelCache } from './group-model.cache';
import type { CreateGroupBody, ListQuery, UpdateGroupBody } from './groups.dto';

@Injectable()
export class GroupsUseCases {
  constructor(
    private readonly rpc: RpcClient,
    private readonly groupModels: GroupModelCache,
  ) {}

  create(caller: Caller, groupId: string, body: CreateGroupBody, idempotencyKey?: string): Promise<GroupView> {
    const group = {
      name: body.name,
      userData: body.userData ?? null,
      recognitionModel: body.recognitionModel ?? defaultRecognitionModel,
    };
    return this.rpc.send(
      'groups.create',
      {
        tenantId: caller.tenantId,
        groupId,
        ...group,
        ...idempotentWrite(caller, idempotencyKey, 'groups.create', groupId, group),
      },
      sendOptions(caller),
    );
  }

  get(caller: Caller, groupId: string): Promise<GroupView> {
    return this.rpc.send('groups.get', { tenantId: caller.tenantId, groupId }, sendOptions(caller));
  }

  list(caller: Caller, query: ListQuery): Promise<GroupView[]> {
    return this.rpc.send(
      'groups.list',
      { tenantId: caller.tenantId, start: query.start || undefined, top: query.top ?? 1000 },
      sendOptions(caller),
    );
  }

  update(caller: Caller, groupId: string, body: UpdateGroupBody, idempotencyKey?: string): Promise<GroupView> {
    if (body.name === undefined && body.userData === undefined) {
      throw new VisageError('VALIDATION_ERROR', 'Give name, userData or both.');
    }
    const change = { name: body.name, userData: body.userData };
    return this.rpc.send(
      'groups.update',
      {
        tenantId: caller.tenantId,
        groupId,
        ...change,
        ...idempotentWrite(caller, idempotencyKey, 'groups.update', groupId, change),
      },
      sendOptions(caller),
    );
  }

  async delete(caller: Caller, groupId: string, idempotencyKey?: string): Promise<void> {
    this.groupModels.forget(caller.tenantId, groupId);
    await this.rpc.send(
      'groups.delete',
      { tenantId: caller.tenantId, groupId, ...idempotentWrite(caller, idempotencyKey, 'groups.delete', groupId) },
      sendOptions(caller),
    );
  }
}
