import { Body, Controller, Delete, Get, HttpCode, Patch, Put, Query } from '@nestjs/common';
import type { Caller } from '../common/caller';
import { CurrentCaller } from '../common/caller.decorator';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { GroupIdParam } from '../common/validation';
import { CreateGroupBody, GroupQuery, ListGroupsQuery, UpdateGroupBody } from '../groups/groups.dto';
import { GroupsUseCases } from '../groups/groups.use-cases';
import { azureGroup } from './azure.presenter';
import { azurePaths } from './azure.routes';

/** LargePersonGroup CRUD in the Azure dialect; writes answer 200 with an empty body (spec §3). */
@Controller(azurePaths('largepersongroups'))
export class AzureGroupsController {
  constructor(private readonly groups: GroupsUseCases) {}

  @Put(':groupId')
  @HttpCode(200)
  async create(
    @CurrentCaller() caller: Caller,
    @GroupIdParam('INVALID_GROUP_ID') groupId: string,
    @Body() body: CreateGroupBody,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<void> {
    await this.groups.create(caller, groupId, body, idempotencyKey);
  }

  @Get()
  async list(@CurrentCaller() caller: Caller, @Query() query: ListGroupsQuery) {
    return (await this.groups.list(caller, query)).map((group) => azureGroup(group, query.returnRecognitionModel));
  }

  @Get(':groupId')
  async get(@CurrentCaller() caller: Caller, @GroupIdParam() groupId: string, @Query() query: GroupQuery) {
    return azureGroup(await this.groups.get(caller, groupId), query.returnRecognitionModel);
  }

  @Patch(':groupId')
  async update(
    @CurrentCaller() caller: Caller,
    @GroupIdParam() groupId: string,
    @Body() body: UpdateGroupBody,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<void> {
    await this.groups.update(caller, groupId, body, idempotencyKey);
  }

  @Delete(':groupId')
  async delete(
    @CurrentCaller() caller: Caller,
    @GroupIdParam() groupId: string,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<void> {
    await this.groups.delete(caller, groupId, idempotencyKey);
  }
}
