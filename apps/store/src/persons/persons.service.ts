import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  Collections,
  VisageError,
  type CreatePersonRequest,
  type EnrolmentTarget,
  type GroupRef,
  type IdempotentWrite,
  type ListPage,
  type PersonRef,
  type PersonView,
  type RecognitionModel,
  type UpdateRequest,
} from '#contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import type { PersonEntity } from '../database/entities';
import { personView } from '../database/views';
import { CollectionsRepository } from '../groups/collections.repository';
import { GroupsService } from '../groups/groups.service';
import { applyOnce } from '../idempotency/applied-writes';
import { PersonsRepository } from './persons.repository';

@Injectable()
export class PersonsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly groups: GroupsService,
  ) {}

  async create(request: CreatePersonRequest): Promise<PersonView> {
    return applyOnce(this.dataSource, request, async (manager) => {
      const persons = new PersonsRepository(manager);
      const { maxPersons } = Collections[request.kind];
      // Share-lock the group so a concurrent group delete cannot orphan the new person; where the kind limits
      // its persons, lock it exclusively so that concurrent creates count one after the other.
      await this.groups.require(manager, request, maxPersons === undefined ? 'share' : 'update');
      if (maxPersons !== undefined && (await persons.count(request)) >= maxPersons) {
        throw new VisageError('PERSON_LIMIT_REACHED');
      }
      const now = new Date();
      const row: PersonEntity = {
        personId: randomUUID(),
        tenantId: request.tenantId,
        kind: request.kind,
        groupId: request.groupId,
        name: request.name,
        userData: request.userData ?? null,
        faceCount: 0,
        createdAt: now,
        updatedAt: now,
      };
      await persons.insert(row);
      return personView(row, []);
    });
  }

  async get(ref: PersonRef): Promise<PersonView> {
    const manager = this.dataSource.manager;
    return this.viewOf(manager, await this.require(manager, ref));
  }

  async list(request: GroupRef & ListPage): Promise<PersonView[]> {
    const persons = new PersonsRepository(this.dataSource.manager);
    await this.groups.require(this.dataSource.manager, request);
    const rows = await persons.list(request);
    const faceIds = await persons.faceIdsOf(rows.map((row) => row.personId));
    return rows.map((row) => personView(row, faceIds.get(row.personId)!));
  }

  async update(request: PersonRef & UpdateRequest & IdempotentWrite): Promise<PersonView> {
    return applyOnce(this.dataSource, request, async (manager) => {
      const row = await this.require(manager, request, true);
      if (request.name !== undefined) row.name = request.name;
      if (request.userData !== undefined) row.userData = request.userData;
      row.updatedAt = new Date();
      await new PersonsRepository(manager).update(row);
      return this.viewOf(manager, row);
    });
  }

  /** Person-level write: arrives through the person's shard. */
  async delete(request: PersonRef & IdempotentWrite): Promise<{ deleted: true }> {
    return applyOnce(this.dataSource, request, async (manager) => {
      await this.require(manager, request, true);
      await new PersonsRepository(manager).delete(request.personId);
      await new CollectionsRepository(manager).countEntryDeleted(request);
      return { deleted: true as const };
    });
  }

  async enrolmentTarget(ref: PersonRef): Promise<EnrolmentTarget> {
    const manager = this.dataSource.manager;
    const group = await this.groups.require(manager, ref);
    const person = await this.require(manager, ref);
    return { recognitionModel: group.recognitionModel as RecognitionModel, faceCount: person.faceCount };
  }

  /** The person (in its tenant and group), or the right not-found error; `lock` holds its row. */
  async require(manager: EntityManager, ref: PersonRef, lock = false): Promise<PersonEntity> {
    const row = await new PersonsRepository(manager).find(ref, lock);
    if (row) return row;
    await this.groups.require(manager, ref);
    throw new VisageError('PERSON_NOT_FOUND');
  }

  private async viewOf(manager: EntityManager, row: PersonEntity): Promise<PersonView> {
    const faceIds = await new PersonsRepository(manager).faceIdsOf([row.personId]);
    return personView(row, faceIds.get(row.personId)!);
  }
}
