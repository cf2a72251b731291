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
import { In, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { PersistedFaceEntity, PersonEntity } from '../database/entities';
import { personView } from '../database/views';
import { GroupsService } from '../groups/groups.service';
import { applyOnce } from '../idempotency/applied-writes';

@Injectable()
export class PersonsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly groups: GroupsService,
  ) {}

  async create(request: CreatePersonRequest): Promise<PersonView> {
    return applyOnce(this.dataSource, request, async (manager) => {
      const { maxPersons } = Collections[request.kind];
      // Share-lock the group so a concurrent group delete cannot orphan the new person; where the kind limits
      // its persons, lock it exclusively so that concurrent creates count one after the other.
      await this.groups.require(manager, request, maxPersons === undefined ? 'share' : 'update');
      if (maxPersons !== undefined && (await this.countOf(manager, request)) >= maxPersons) {
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
      await manager.insert(PersonEntity, row);
      return personView(row, []);
    });
  }

  async get(ref: PersonRef): Promise<PersonView> {
    const manager = this.dataSource.manager;
    const row = await this.require(manager, ref);
    return personView(row, await this.faceIdsOf(manager, [row.personId]).then((m) => m.get(row.personId) ?? []));
  }

  async list(request: GroupRef & ListPage): Promise<PersonView[]> {
    const manager = this.dataSource.manager;
    await this.groups.require(manager, request);
    const rows = await manager.find(PersonEntity, {
      where: {
        tenantId: request.tenantId,
        kind: request.kind,
        groupId: request.groupId,
        ...(request.start ? { personId: MoreThan(request.start) } : {}),
      },
      order: { personId: 'ASC' },
      take: request.top,
    });
    const faceIds = await this.faceIdsOf(
      manager,
      rows.map((r) => r.personId),
    );
    return rows.map((row) => personView(row, faceIds.get(row.personId) ?? []));
  }

  async update(request: PersonRef & UpdateRequest & IdempotentWrite): Promise<PersonView> {
    return applyOnce(this.dataSource, request, async (manager) => {
      const row = await this.require(manager, request, true);
      if (request.name !== undefined) row.name = request.name;
      if (request.userData !== undefined) row.userData = request.userData;
      row.updatedAt = new Date();
      await manager.save(row);
      return personView(row, (await this.faceIdsOf(manager, [row.personId])).get(row.personId) ?? []);
    });
  }

  /** Person-level write: arrives through the person's shard. */
  async delete(request: PersonRef & IdempotentWrite): Promise<{ deleted: true }> {
    return applyOnce(this.dataSource, request, async (manager) => {
      await this.require(manager, request, true);
      await manager.delete(PersonEntity, { personId: request.personId });
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
    const row = await manager.findOne(PersonEntity, {
      where: { personId: ref.personId, tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (row) return row;
    await this.groups.require(manager, ref);
    throw new VisageError('PERSON_NOT_FOUND');
  }

  private async countOf(manager: EntityManager, ref: GroupRef): Promise<number> {
    return manager.count(PersonEntity, { where: { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId } });
  }

  private async faceIdsOf(manager: EntityManager, personIds: string[]): Promise<Map<string, string[]>> {
    const byPerson = new Map<string, string[]>();
    if (personIds.length === 0) return byPerson;
    const faces = await manager.find(PersistedFaceEntity, {
      select: { persistedFaceId: true, personId: true },
      where: { personId: In(personIds) },
      order: { createdAt: 'ASC', persistedFaceId: 'ASC' },
    });
    for (const face of faces) {
      const list = byPerson.get(face.personId!) ?? [];
      list.push(face.persistedFaceId);
      byPerson.set(face.personId!, list);
    }
    return byPerson;
  }
}
