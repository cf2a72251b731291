import { Body, Controller, Delete, Get, HttpCode, Patch, Put, Query } from '@nestjs/common';
import type { Caller } from '../common/caller';
import { CurrentCaller } from '../common/caller.decorator';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { GroupIdParam } from '../common/validation';
import { CreateGroupBody, ListQuery, UpdateGroupBody } from '../groups/groups.dto';
import { GroupsUseCases } from '../groups/groups.use-cases';
import { deletedData, groupData, ok } from './envelope.presenter';

@Controller('largepersongroups')
export class EnvelopeGroupsController {
  constructor(private readonly groups: GroupsUseCases) {}

  @Put(':groupId')
  @HttpCode(200)
  async create(
    @CurrentCaller() caller: Caller,
    @GroupIdParam('INVALID_GROUP_ID') groupId: string,
    @Body() body: CreateGroupBody,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return ok(groupData(await this.groups.create(caller, groupId, body, idempotencyKey)));
  }

  @Get()
  async list(@CurrentCaller() caller: Caller, @Query() query: ListQuery) {
    return ok((await this.groups.list(caller, query)).map(groupData));
  }

  @Get(':groupId')
  async get(@CurrentCaller() caller: Caller, @GroupIdParam() groupId: string) {
    return ok(groupData(await this.groups.get(caller, groupId)));
  }

  @Patch(':groupId')
  async update(
    @CurrentCaller() caller: Caller,
    @GroupIdParam() groupId: string,
    @Body() body: UpdateGroupBody,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return ok(groupData(await this.groups.update(caller, groupId, body, idempotencyKey)));
  }

  @Delete(':groupId')
  async delete(
    @CurrentCaller() caller: Caller,
    @GroupIdParam() groupId: string,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    await this.groups.delete(caller, groupId, idempotencyKey);
    return ok(deletedData(groupId));
  }
}
