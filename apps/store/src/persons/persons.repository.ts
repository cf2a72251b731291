/** The persons of person groups and large person groups, and which faces each holds. */
import type { GroupRef, ListPage, PersonRef } from '#contracts';
import { In, MoreThan } from 'typeorm';
import { PersistedFaceEntity, PersonEntity } from '../database/entities';
import type { Db } from '../database/sql';

export class PersonsRepository {
  constructor(private readonly db: Db) {}

  /** The person in its tenant and group; with `lock`, its row is held until the transaction ends. */
  async find(ref: PersonRef, lock = false): Promise<PersonEntity | null> {
    return this.db.findOne(PersonEntity, {
      where: { personId: ref.personId, ...groupOf(ref) },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** A page of the group's persons, by id. */
  async list(request: GroupRef & ListPage): Promise<PersonEntity[]> {
    return this.db.find(PersonEntity, {
      where: { ...groupOf(request), ...(request.start ? { personId: MoreThan(request.start) } : {}) },
      order: { personId: 'ASC' },
      take: request.top,
    });
  }

  async count(ref: GroupRef): Promise<number> {
    return this.db.count(PersonEntity, { where: groupOf(ref) });
  }

  /** Which of these persons are still in the group. */
  async existing(ref: GroupRef, personIds: string[]): Promise<Set<string>> {
    if (personIds.length === 0) return new Set();
    const rows = await this.db.find(PersonEntity, {
      select: { personId: true },
      where: { ...groupOf(ref), personId: In(personIds) },
    });
    return new Set(rows.map((row) => row.personId));
  }

  async insert(row: PersonEntity): Promise<void> {
    await this.db.insert(PersonEntity, row);
  }

  async update(row: PersonEntity): Promise<void> {
    await this.db.update(
      PersonEntity,
      { personId: row.personId },
      { name: row.name, userData: row.userData, updatedAt: row.updatedAt },
    );
  }

  /** Its faces go with it (foreign key ON DELETE CASCADE). */
  async delete(personId: string): Promise<void> {
    await this.db.delete(PersonEntity, { personId });
  }

  /** The persistedFaceIds of each person, oldest first. */
  async faceIdsOf(personIds: string[]): Promise<Map<string, string[]>> {
    const byPerson = new Map<string, string[]>(personIds.map((personId) => [personId, []]));
    if (personIds.length === 0) return byPerson;
    const faces = await this.db.find(PersistedFaceEntity, {
      select: { persistedFaceId: true, personId: true },
      where: { personId: In(personIds) },
      order: { createdAt: 'ASC', persistedFaceId: 'ASC' },
    });
    for (const face of faces) byPerson.get(face.personId!)!.push(face.persistedFaceId);
    return byPerson;
  }
}

function groupOf(ref: GroupRef): Pick<PersonEntity, 'tenantId' | 'kind' | 'groupId'> {
  return { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId };
}
