import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  Limits,
  VisageError,
  type AddFaceReply,
  type AddFaceRequest,
  type FaceRef,
  type IdempotentWrite,
  type PersistedFaceView,
  type UpdateFaceRequest,
} from '#contracts';
import { float32ToLittleEndian } from '#messaging';
import { Metrics } from '#observability';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { PersistedFaceEntity, PersonEntity } from '../database/entities';
import { persistedFaceView } from '../database/views';
import { applyOnce } from '../idempotency/applied-writes';
import { PersonsService } from '../persons/persons.service';

@Injectable()
export class FacesService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly persons: PersonsService,
  ) {}

  /**
   * Person-level write, applied in the person's shard. The face limit and the person's existence are checked
   * with the person row locked, so they hold even if two writes for one person ever ran at once.
   */
  async add(request: AddFaceRequest): Promise<AddFaceReply> {
    let added = false;
    const reply = await applyOnce(this.dataSource, request, async (manager) => {
      const person = await this.persons.require(manager, request, true);
      if (person.faceCount >= Limits.facesPerPerson) throw new VisageError('FACE_LIMIT_REACHED');
      const row: PersistedFaceEntity = {
        persistedFaceId: randomUUID(),
        personId: person.personId,
        tenantId: request.tenantId,
        groupId: request.groupId,
        userData: request.userData ?? null,
        detectionModel: request.detectionModel,
        recognitionModel: request.recognitionModel,
        faceRectangle: request.faceRectangle,
        embedding: float32ToLittleEndian(request.embedding),
        requestId: request.requestId,
        createdAt: new Date(),
      };
      await manager.insert(PersistedFaceEntity, row);
      await manager.increment(PersonEntity, { personId: person.personId }, 'faceCount', 1);
      added = true;
      return {
        persistedFaceId: row.persistedFaceId,
        createdAt: row.createdAt.toISOString(),
        faceRectangle: row.faceRectangle,
        detectionModel: request.detectionModel,
        recognitionModel: request.recognitionModel,
      };
    });
    if (added) Metrics.facesAdded.inc(); // counted once committed, not on replays
    return reply;
  }

  /** Person-level write, applied in the person's shard. */
  async delete(request: FaceRef & IdempotentWrite): Promise<{ deleted: true }> {
    return applyOnce(this.dataSource, request, async (manager) => {
      await this.persons.require(manager, request, true);
      const result = await manager.delete(PersistedFaceEntity, {
        persistedFaceId: request.persistedFaceId,
        personId: request.personId,
      });
      if (!result.affected) throw new VisageError('PERSISTED_FACE_NOT_FOUND');
      await manager.decrement(PersonEntity, { personId: request.personId }, 'faceCount', 1);
      return { deleted: true as const };
    });
  }

  async get(ref: FaceRef): Promise<PersistedFaceView> {
    return persistedFaceView(await this.require(this.dataSource.manager, ref));
  }

  async update(request: UpdateFaceRequest): Promise<PersistedFaceView> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.require(manager, request);
      if (request.userData !== undefined) {
        row.userData = request.userData;
        await manager.update(PersistedFaceEntity, { persistedFaceId: row.persistedFaceId }, { userData: row.userData });
      }
      return persistedFaceView(row);
    });
  }

  private async require(manager: EntityManager, ref: FaceRef): Promise<PersistedFaceEntity> {
    await this.persons.require(manager, ref);
    const row = await manager.findOne(PersistedFaceEntity, {
      select: {
        persistedFaceId: true,
        personId: true,
        tenantId: true,
        groupId: true,
        userData: true,
        detectionModel: true,
        recognitionModel: true,
        faceRectangle: true,
        requestId: true,
        createdAt: true,
      },
      where: { persistedFaceId: ref.persistedFaceId, personId: ref.personId },
    });
    if (!row) throw new VisageError('PERSISTED_FACE_NOT_FOUND');
    return row;
  }
}
