import { Inject, Injectable } from '@nestjs/common';
import {
  Collections,
  VisageError,
  type CreateGroupRequest,
  type GroupRef,
  type GroupView,
  type IdempotentWrite,
  type ListPage,
  type TenantScoped,
  type UpdateRequest,
} from '#contracts';
import { MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { CollectionEntity } from '../database/entities';
import { groupView, pgErrorCode, PgErrors } from '../database/views';
import { applyOnce } from '../idempotency/applied-writes';
import { GroupDeletions } from './group-deletions';

@Injectable()
export class GroupsService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly deletions: GroupDeletions,
  ) {}

  async create(request: CreateGroupRequest): Promise<GroupView> {
    return applyOnce(this.dataSource, request, async (manager) => {
      const now = new Date();
      const row: CollectionEntity = {
        tenantId: request.tenantId,
        kind: request.kind,
        groupId: request.groupId,
        name: request.name,
        userData: request.userData ?? null,
        recognitionModel: request.recognitionModel,
        faceCount: 0,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await manager.insert(CollectionEntity, row);
      } catch (error) {
        if (pgErrorCode(error) === PgErrors.uniqueViolation)
          throw new VisageError(Collections[request.kind].errors.exists);
        throw error;
      }
      return groupView(row);
    });
  }

  async get(ref: GroupRef): Promise<GroupView> {
    return groupView(await this.require(this.dataSource.manager, ref));
  }

  async list(request: TenantScoped & Pick<GroupRef, 'kind'> & ListPage): Promise<GroupView[]> {
    const rows = await this.dataSource.getRepository(CollectionEntity).find({
      where: {
        tenantId: request.tenantId,
        kind: request.kind,
        ...(request.start ? { groupId: MoreThan(request.start) } : {}),
      },
      order: { groupId: 'ASC' },
      take: request.top,
    });
    return rows.map(groupView);
  }

  async update(request: GroupRef & UpdateRequest & IdempotentWrite): Promise<GroupView> {
    return applyOnce(this.dataSource, request, async (manager) => {
      const row = await this.require(manager, request, 'update');
      if (request.name !== undefined) row.name = request.name;
      if (request.userData !== undefined) row.userData = request.userData;
      row.updatedAt = new Date();
      await manager.save(row);
      return groupView(row);
    });
  }

  async delete(request: GroupRef & IdempotentWrite): Promise<{ deleted: true }> {
    const deleted = await applyOnce(this.dataSource, request, async (manager) => {
      const result = await manager.delete(CollectionEntity, {
        tenantId: request.tenantId,
        kind: request.kind,
        groupId: request.groupId,
      });
      if (!result.affected) throw new VisageError(Collections[request.kind].errors.notFound);
      return { deleted: true as const };
    });
    this.deletions.deleted(request);
    return deleted;
  }

  /**
   * The group, or the not-found error of its kind. `lock` holds it for the rest of the transaction: `share` (FOR SHARE) keeps a
   * concurrent delete out, `update` (FOR UPDATE) also serialises writers of the group.
   */
  async require(manager: EntityManager, ref: GroupRef, lock?: 'share' | 'update'): Promise<CollectionEntity> {
    const mode = lock === 'share' ? 'pessimistic_read' : 'pessimistic_write';
    const row = await manager.findOne(CollectionEntity, {
      where: { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId },
      ...(lock ? { lock: { mode } } : {}),
    });
    if (!row) throw new VisageError(Collections[ref.kind].errors.notFound);
    return row;
  }
}
