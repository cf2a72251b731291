import { Injectable } from '@nestjs/common';
import { isUuid, VisageError, type PersonView } from '#contracts';
import { RpcClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import { idempotentWrite } from '../common/idempotent-write';
import type { ListQuery } from '../groups/groups.dto';
import type { CreatePersonBody, UpdatePersonBody } from './persons.dto';

@Injectable()
export class PersonsUseCases {
  constructor(private readonly rpc: RpcClient) {}

  create(caller: Caller, groupId: string, body: CreatePersonBody, idempotencyKey?: string): Promise<PersonView> {
    const person = { name: body.name, userData: body.userData ?? null };
    return this.rpc.send(
      'persons.create',
      {
        tenantId: caller.tenantId,
        groupId,
        ...person,
        ...idempotentWrite(caller, idempotencyKey, 'persons.create', groupId, person),
      },
      sendOptions(caller),
    );
  }

  get(caller: Caller, groupId: string, personId: string): Promise<PersonView> {
    return this.rpc.send('persons.get', { tenantId: caller.tenantId, groupId, personId }, sendOptions(caller));
  }

  list(caller: Caller, groupId: string, query: ListQuery): Promise<PersonView[]> {
    if (query.start && !isUuid(query.start)) throw new VisageError('VALIDATION_ERROR', 'start must be a personId.');
    return this.rpc.send(
      'persons.list',
      { tenantId: caller.tenantId, groupId, start: query.start?.toLowerCase() || undefined, top: query.top ?? 1000 },
      sendOptions(caller),
    );
  }

  update(
    caller: Caller,
    groupId: string,
    personId: string,
    body: UpdatePersonBody,
    idempotencyKey?: string,
  ): Promise<PersonView> {
    if (body.name === undefined && body.userData === undefined) {
      throw new VisageError('VALIDATION_ERROR', 'Give name, userData or both.');
    }
    const change = { name: body.name, userData: body.userData };
    return this.rpc.send(
      'persons.update',
      {
        tenantId: caller.tenantId,
        groupId,
        personId,
        ...change,
        ...idempotentWrite(caller, idempotencyKey, 'persons.update', groupId, personId, change),
      },
      sendOptions(caller),
    );
  }

  async delete(caller: Caller, groupId: string, personId: string, idempotencyKey?: string): Promise<void> {
    await this.rpc.send(
      'persons.delete',
      {
        tenantId: caller.tenantId,
        groupId,
        personId,
        ...idempotentWrite(caller, idempotencyKey, 'persons.delete', groupId, personId),
      },
      sendOptions(caller),
    );
  }
}
