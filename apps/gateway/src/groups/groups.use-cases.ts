import { Injectable } from '@nestjs/common';
import { Collections, defaultRecognitionModel, VisageError, type CollectionKind, type GroupView } from '#contracts';
import { MessageClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import { idempotentWrite } from '../common/idempotent-write';
import type { GroupPath } from './collection-routes';
import { GroupModelCache } from './group-model.cache';
import type { CreateGroupBody, ListQuery, UpdateGroupBody } from './groups.dto';

@Injectable()
export class GroupsUseCases {
  constructor(
    private readonly rpc: MessageClient,
    private readonly groupModels: GroupModelCache,
  ) {}

  create(caller: Caller, group: GroupPath, body: CreateGroupBody, idempotencyKey?: string): Promise<GroupView> {
    const created = {
      name: body.name,
      userData: body.userData ?? null,
      recognitionModel: body.recognitionModel ?? defaultRecognitionModel,
    };
    return this.rpc.send(
      'groups.create',
      {
        tenantId: caller.tenantId,
        ...group,
        ...created,
        ...idempotentWrite(caller, idempotencyKey, 'groups.create', group, created),
      },
      sendOptions(caller),
    );
  }

  /** A face list comes with its faces (at most 1,000), as Azure returns it. */
  async get(caller: Caller, group: GroupPath): Promise<GroupView> {
    const ref = { tenantId: caller.tenantId, ...group };
    const view = await this.rpc.send('groups.get', ref, sendOptions(caller));
    if (group.kind !== 'faceList') return view;
    const page = { top: Collections.faceList.maxFaces! };
    return { ...view, persistedFaces: await this.rpc.send('listFaces.list', { ...ref, ...page }, sendOptions(caller)) };
  }

  list(caller: Caller, kind: CollectionKind, query: ListQuery): Promise<GroupView[]> {
    return this.rpc.send(
      'groups.list',
      { tenantId: caller.tenantId, kind, start: query.start || undefined, top: query.top ?? 1000 },
      sendOptions(caller),
    );
  }

  update(caller: Caller, group: GroupPath, body: UpdateGroupBody, idempotencyKey?: string): Promise<GroupView> {
    if (body.name === undefined && body.userData === undefined) {
      throw new VisageError('VALIDATION_ERROR', 'Give name, userData or both.');
    }
    const change = { name: body.name, userData: body.userData };
    return this.rpc.send(
      'groups.update',
      {
        tenantId: caller.tenantId,
        ...group,
        ...change,
        ...idempotentWrite(caller, idempotencyKey, 'groups.update', group, change),
      },
      sendOptions(caller),
    );
  }

  async delete(caller: Caller, group: GroupPath, idempotencyKey?: string): Promise<void> {
    this.groupModels.forget(caller.tenantId, group);
    await this.rpc.send(
      'groups.delete',
      { tenantId: caller.tenantId, ...group, ...idempotentWrite(caller, idempotencyKey, 'groups.delete', group) },
      sendOptions(caller),
    );
  }
}
