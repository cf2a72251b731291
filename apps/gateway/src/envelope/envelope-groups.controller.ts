import { Body, Controller, Delete, Get, HttpCode, Patch, Put, Query } from '@nestjs/common';
import type { CollectionKind } from '#contracts';
import type { Caller } from '../common/caller';
import { CurrentCaller } from '../common/caller.decorator';
import { Dialect } from '../common/dialect';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { GroupParam } from '../common/validation';
import { collectionRoutes, nameController, type GroupPath } from '../groups/collection-routes';
import { CreateGroupBody, ListQuery, UpdateGroupBody } from '../groups/groups.dto';
import { GroupsUseCases } from '../groups/groups.use-cases';
import { deletedData, groupData, ok } from './envelope.presenter';

export function envelopeGroupsController(kind: CollectionKind) {
  @Dialect('envelope')
  @Controller(collectionRoutes[kind].segment)
  class EnvelopeGroupsController {
    constructor(private readonly groups: GroupsUseCases) {}

    @Put(':groupId')
    @HttpCode(200)
    async create(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind, true) group: GroupPath,
      @Body() body: CreateGroupBody,
      @IdempotencyKey() idempotencyKey?: string,
    ) {
      return ok(groupData(await this.groups.create(caller, group, body, idempotencyKey)));
    }

    @Get()
    async list(@CurrentCaller() caller: Caller, @Query() query: ListQuery) {
      return ok((await this.groups.list(caller, kind, query)).map(groupData));
    }

    @Get(':groupId')
    async get(@CurrentCaller() caller: Caller, @GroupParam(kind) group: GroupPath) {
      return ok(groupData(await this.groups.get(caller, group)));
    }

    @Patch(':groupId')
    async update(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @Body() body: UpdateGroupBody,
      @IdempotencyKey() idempotencyKey?: string,
    ) {
      return ok(groupData(await this.groups.update(caller, group, body, idempotencyKey)));
    }

    @Delete(':groupId')
    async delete(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @IdempotencyKey() idempotencyKey?: string,
    ) {
      await this.groups.delete(caller, group, idempotencyKey);
      return ok(deletedData(group.groupId));
    }
  }
  return nameController(EnvelopeGroupsController, 'Envelope', kind, 's');
}
