import { Body, Controller, Delete, Get, HttpCode, Patch, Put, Query } from '@nestjs/common';
import type { CollectionKind } from '#contracts';
import type { Caller } from '../common/caller';
import { CurrentCaller } from '../common/caller.decorator';
import { Dialect } from '../common/dialect';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { GroupParam } from '../common/validation';
import { collectionRoutes, nameController, type GroupPath } from '../groups/collection-routes';
import { CreateGroupBody, GroupQuery, ListGroupsQuery, UpdateGroupBody } from '../groups/groups.dto';
import { GroupsUseCases } from '../groups/groups.use-cases';
import { azureGroup } from './azure.presenter';
import { azurePaths } from './azure.routes';

/** A kind's CRUD in the Azure dialect; writes answer 200 with an empty body (spec §3). */
export function azureGroupsController(kind: CollectionKind) {
  @Dialect('azure')
  @Controller(azurePaths(collectionRoutes[kind].segment))
  class AzureGroupsController {
    constructor(private readonly groups: GroupsUseCases) {}

    @Put(':groupId')
    @HttpCode(200)
    async create(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind, true) group: GroupPath,
      @Body() body: CreateGroupBody,
      @IdempotencyKey() idempotencyKey?: string,
    ): Promise<void> {
      await this.groups.create(caller, group, body, idempotencyKey);
    }

    @Get()
    async list(@CurrentCaller() caller: Caller, @Query() query: ListGroupsQuery) {
      const groups = await this.groups.list(caller, kind, query);
      return groups.map((group) => azureGroup(group, kind, query.returnRecognitionModel));
    }

    @Get(':groupId')
    async get(@CurrentCaller() caller: Caller, @GroupParam(kind) group: GroupPath, @Query() query: GroupQuery) {
      return azureGroup(await this.groups.get(caller, group), kind, query.returnRecognitionModel);
    }

    @Patch(':groupId')
    async update(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @Body() body: UpdateGroupBody,
      @IdempotencyKey() idempotencyKey?: string,
    ): Promise<void> {
      await this.groups.update(caller, group, body, idempotencyKey);
    }

    @Delete(':groupId')
    async delete(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @IdempotencyKey() idempotencyKey?: string,
    ): Promise<void> {
      await this.groups.delete(caller, group, idempotencyKey);
    }
  }
  return nameController(AzureGroupsController, 'Azure', kind, 's');
}
