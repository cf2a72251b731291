import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import type { CollectionKind } from '#contracts';
import type { Caller } from '../common/caller';
import { CurrentCaller } from '../common/caller.decorator';
import { Dialect } from '../common/dialect';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { GroupParam, PersonIdParam } from '../common/validation';
import { collectionRoutes, nameController, type GroupPath } from '../groups/collection-routes';
import { ListQuery } from '../groups/groups.dto';
import { CreatePersonBody, UpdatePersonBody } from '../persons/persons.dto';
import { PersonsUseCases } from '../persons/persons.use-cases';
import { deletedData, ok, personData } from './envelope.presenter';

export function envelopePersonsController(kind: CollectionKind) {
  @Dialect('envelope')
  @Controller(`${collectionRoutes[kind].segment}/:groupId/persons`)
  class EnvelopePersonsController {
    constructor(private readonly persons: PersonsUseCases) {}

    @Post()
    @HttpCode(200)
    async create(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @Body() body: CreatePersonBody,
      @IdempotencyKey() idempotencyKey?: string,
    ) {
      return ok(personData(await this.persons.create(caller, group, body, idempotencyKey)));
    }

    @Get()
    async list(@CurrentCaller() caller: Caller, @GroupParam(kind) group: GroupPath, @Query() query: ListQuery) {
      return ok((await this.persons.list(caller, group, query)).map(personData));
    }

    @Get(':personId')
    async get(@CurrentCaller() caller: Caller, @GroupParam(kind) group: GroupPath, @PersonIdParam() personId: string) {
      return ok(personData(await this.persons.get(caller, group, personId)));
    }

    @Patch(':personId')
    async update(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @PersonIdParam() personId: string,
      @Body() body: UpdatePersonBody,
      @IdempotencyKey() idempotencyKey?: string,
    ) {
      return ok(personData(await this.persons.update(caller, group, personId, body, idempotencyKey)));
    }

    @Delete(':personId')
    async delete(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @PersonIdParam() personId: string,
      @IdempotencyKey() idempotencyKey?: string,
    ) {
      await this.persons.delete(caller, group, personId, idempotencyKey);
      return ok(deletedData(personId));
    }
  }
  return nameController(EnvelopePersonsController, 'Envelope', kind, 'Persons');
}
