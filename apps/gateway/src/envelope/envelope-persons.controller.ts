import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import type { Caller } from '../common/caller';
import { CurrentCaller } from '../common/caller.decorator';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { GroupIdParam, PersonIdParam } from '../common/validation';
import { ListQuery } from '../groups/groups.dto';
import { CreatePersonBody, UpdatePersonBody } from '../persons/persons.dto';
import { PersonsUseCases } from '../persons/persons.use-cases';
import { deletedData, ok, personData } from './envelope.presenter';

@Controller('largepersongroups/:groupId/persons')
export class EnvelopePersonsController {
  constructor(private readonly persons: PersonsUseCases) {}

  @Post()
  @HttpCode(200)
  async create(
    @CurrentCaller() caller: Caller,
    @GroupIdParam() groupId: string,
    @Body() body: CreatePersonBody,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return ok(personData(await this.persons.create(caller, groupId, body, idempotencyKey)));
  }

  @Get()
  async list(@CurrentCaller() caller: Caller, @GroupIdParam() groupId: string, @Query() query: ListQuery) {
    return ok((await this.persons.list(caller, groupId, query)).map(personData));
  }

  @Get(':personId')
  async get(@CurrentCaller() caller: Caller, @GroupIdParam() groupId: string, @PersonIdParam() personId: string) {
    return ok(personData(await this.persons.get(caller, groupId, personId)));
  }

  @Patch(':personId')
  async update(
    @CurrentCaller() caller: Caller,
    @GroupIdParam() groupId: string,
    @PersonIdParam() personId: string,
    @Body() body: UpdatePersonBody,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return ok(personData(await this.persons.update(caller, groupId, personId, body, idempotencyKey)));
  }

  @Delete(':personId')
  async delete(
    @CurrentCaller() caller: Caller,
    @GroupIdParam() groupId: string,
    @PersonIdParam() personId: string,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    await this.persons.delete(caller, groupId, personId, idempotencyKey);
    return ok(deletedData(personId));
  }
}
