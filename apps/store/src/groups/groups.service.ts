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
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import type { CollectionEntity } from '../database/entities';
import { groupView } from '../database/views';
import { applyOnce } from '../idempotency/applied-writes';
import { CollectionsRepository, type CollectionLock } from './collections.repository';
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
      if (!(await new CollectionsRepository(manager).insert(row))) {
        throw new VisageError(Collections[request.kind].errors.exists);
      }
      return groupView(row);
    });
  }

  async get(ref: GroupRef): Promise<GroupView> {
    return groupView(await this.require(this.dataSource.manager, ref));
  }

  async list(request: TenantScoped & Pick<GroupRef, 'kind'> & ListPage): Promise<GroupView[]> {
    return (await new CollectionsRepository(this.dataSource.manager).list(request)).map(groupView);
  }

  async update(request: GroupRef & UpdateRequest & IdempotentWrite): Promise<GroupView> {
    return applyOnce(this.dataSource, request, async (manager) => {
      const row = await this.require(manager, request, 'update');
      if (request.name !== undefined) row.name = request.name;
      if (request.userData !== undefined) row.userData = request.userData;
      row.updatedAt = new Date();
      await new CollectionsRepository(manager).update(row);
      return groupView(row);
    });
  }

  async delete(request: GroupRef & IdempotentWrite): Promise<{ deleted: true }> {
    const deleted = await applyOnce(this.dataSource, request, async (manager) => {
      if (!(await new CollectionsRepository(manager).delete(request))) {
        throw new VisageError(Collections[request.kind].errors.notFound);
      }
      return { deleted: true as const };
    });
    this.deletions.deleted(request);
    return deleted;
  }

  /** The group, or the not-found error of its kind; `lock` holds it for the rest of the transaction. */
  async require(manager: EntityManager, ref: GroupRef, lock?: CollectionLock): Promise<CollectionEntity> {
    const row = await new CollectionsRepository(manager).find(ref, lock);
    if (!row) throw new VisageError(Collections[ref.kind].errors.notFound);
    return row;
  }
}
