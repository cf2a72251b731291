/** Collections of every kind (large person groups, person groups, face lists, large face lists). */
import type { GroupRef, ListPage, TenantScoped } from '#contracts';
import { MoreThan } from 'typeorm';
import { CollectionEntity } from '../database/entities';
import { affectedBy, rowsOf, type Db } from '../database/sql';
import { pgErrorCode, PgErrors } from '../database/views';

/**
 * `share` (FOR KEY SHARE) keeps a concurrent delete out, and lets the row's counters change meanwhile;
 * `update` (FOR UPDATE) also serialises the writers.
 */
export type CollectionLock = 'share' | 'update';

const countEntryDeleted = `
UPDATE collection SET entries_deleted = entries_deleted + 1
WHERE tenant_id = :tenantId AND kind = :kind AND group_id = :groupId`;

const entriesDeleted = `
SELECT entries_deleted::text FROM collection WHERE tenant_id = :tenantId AND kind = :kind AND group_id = :groupId`;

export class CollectionsRepository {
  constructor(private readonly db: Db) {}

  /** The collection; with `lock`, its row is held until the transaction ends. */
  async find(ref: GroupRef, lock?: CollectionLock): Promise<CollectionEntity | null> {
    const mode = lock === 'share' ? 'for_key_share' : 'pessimistic_write';
    return this.db.findOne(CollectionEntity, { where: keyOf(ref), ...(lock ? { lock: { mode } } : {}) });
  }

  /** A page of a tenant's collections of one kind, by id. */
  async list(request: TenantScoped & Pick<GroupRef, 'kind'> & ListPage): Promise<CollectionEntity[]> {
    return this.db.find(CollectionEntity, {
      where: {
        tenantId: request.tenantId,
        kind: request.kind,
        ...(request.start ? { groupId: MoreThan(request.start) } : {}),
      },
      order: { groupId: 'ASC' },
      take: request.top,
    });
  }

  /** False when the kind already has a collection of this id in the tenant. */
  async insert(row: CollectionEntity): Promise<boolean> {
    try {
      await this.db.insert(CollectionEntity, row);
      return true;
    } catch (error) {
      if (pgErrorCode(error) === PgErrors.uniqueViolation) return false;
      throw error;
    }
  }

  async update(row: CollectionEntity): Promise<void> {
    await this.db.update(CollectionEntity, keyOf(row), {
      name: row.name,
      userData: row.userData,
      updatedAt: row.updatedAt,
    });
  }

  /**
   * Counts one entry (a person, or a face list's face) deleted, in the transaction that deletes it: a search of a
   * snapshot whose training began from the same count need not check that what it found still exists.
   */
  async countEntryDeleted(ref: GroupRef): Promise<void> {
    await affectedBy(this.db, countEntryDeleted, keyOf(ref));
  }

  /** Entries ever deleted from the collection (a bigint, as text); null when there is no such collection. */
  async entriesDeleted(ref: GroupRef): Promise<string | null> {
    const [row] = await rowsOf<{ entries_deleted: string }>(this.db, entriesDeleted, keyOf(ref));
    return row?.entries_deleted ?? null;
  }

  /** Its persons, faces, training and snapshot go with it (foreign keys ON DELETE CASCADE); false if none. */
  async delete(ref: GroupRef): Promise<boolean> {
    const result = await this.db.delete(CollectionEntity, keyOf(ref));
    return Boolean(result.affected);
  }
}

function keyOf(ref: GroupRef): Pick<CollectionEntity, 'tenantId' | 'kind' | 'groupId'> {
  return { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId };
}
