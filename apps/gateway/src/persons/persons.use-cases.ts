import { Injectable } from '@nestjs/common';
import { isUuid, VisageError, type PersonView } from '#contracts';
import { MessageClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import { idempotentWrite } from '../common/idempotent-write';
import type { GroupPath } from '../groups/collection-routes';
import type { ListQuery } from '../groups/groups.dto';
import type { CreatePersonBody, UpdatePersonBody } from './persons.dto';

@Injectable()
export class PersonsUseCases {
  constructor(private readonly rpc: MessageClient) {}

  create(caller: Caller, group: GroupPath, body: CreatePersonBody, idempotencyKey?: string): Promise<PersonView> {
    const person = { name: body.name, userData: body.userData ?? null };
    return this.rpc.send(
      'persons.create',
      {
        tenantId: caller.tenantId,
        ...group,
        ...person,
        ...idempotentWrite(caller, idempotencyKey, 'persons.create', group, person),
      },
      sendOptions(caller),
    );
  }

  get(caller: Caller, group: GroupPath, personId: string): Promise<PersonView> {
    return this.rpc.send('persons.get', { tenantId: caller.tenantId, ...group, personId }, sendOptions(caller));
  }

  list(caller: Caller, group: GroupPath, query: ListQuery): Promise<PersonView[]> {
    if (query.start && !isUuid(query.start)) throw new VisageError('VALIDATION_ERROR', 'start must be a personId.');
    return this.rpc.send(
      'persons.list',
      { tenantId: caller.tenantId, ...group, start: query.start?.toLowerCase() || undefined, top: query.top ?? 1000 },
      sendOptions(caller),
    );
  }

  update(
    caller: Caller,
    group: GroupPath,
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
        ...group,
        personId,
        ...change,
        ...idempotentWrite(caller, idempotencyKey, 'persons.update', group, personId, change),
      },
      sendOptions(caller),
    );
  }

  async delete(caller: Caller, group: GroupPath, personId: string, idempotencyKey?: string): Promise<void> {
    await this.rpc.send(
      'persons.delete',
      {
        tenantId: caller.tenantId,
        ...group,
        personId,
        ...idempotentWrite(caller, idempotencyKey, 'persons.delete', group, personId),
      },
      sendOptions(caller),
    );
  }
}
