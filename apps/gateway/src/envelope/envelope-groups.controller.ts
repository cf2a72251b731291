import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import type { CollectionKind } from '#contracts';
import { absoluteUrl, type UrlSource } from '../common/absolute-url';
import type { Caller } from '../common/caller';
import { CurrentCaller } from '../common/caller.decorator';
import type { HeaderSink } from '../common/header-sink';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { GroupParam } from '../common/validation';
import { collectionRoutes, nameController, type GroupPath } from '../groups/collection-routes';
import { CreateGroupBody, ListQuery, UpdateGroupBody } from '../groups/groups.dto';
import { GroupsUseCases } from '../groups/groups.use-cases';
import { TrainingUseCases } from '../training/training.use-cases';
import { deletedData, groupData, ok, trainingData } from './envelope.presenter';

export function envelopeGroupsController(kind: CollectionKind) {
  const segment = collectionRoutes[kind].segment;

  @Controller(segment)
  class EnvelopeGroupsController {
    constructor(
      private readonly groups: GroupsUseCases,
      private readonly training: TrainingUseCases,
    ) {}

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

    @Post(':groupId/train')
    @HttpCode(202)
    async train(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @Req() request: UrlSource,
      @Res({ passthrough: true }) response: HeaderSink,
      @IdempotencyKey() idempotencyKey?: string,
    ) {
      const status = await this.training.start(caller, group, idempotencyKey);
      response.setHeader('operation-Location', absoluteUrl(request, `/${segment}/${group.groupId}/training`));
      return ok(trainingData(status));
    }

    @Get(':groupId/training')
    async trainingStatus(@CurrentCaller() caller: Caller, @GroupParam(kind) group: GroupPath) {
      return ok(trainingData(await this.training.status(caller, group)));
    }
  }
  return nameController(EnvelopeGroupsController, 'Envelope', kind, 's');
}
