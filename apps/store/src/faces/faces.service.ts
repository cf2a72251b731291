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
import { Metrics } from '#observability';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import type { PersistedFaceEntity } from '../database/entities';
import { persistedFaceView } from '../database/views';
import { applyOnce, applyStatementOnce } from '../idempotency/applied-writes';
import { PersonsService } from '../persons/persons.service';
import { newFaceReply } from './face-write';
import { FacesRepository } from './faces.repository';

/** A person's faces: person-level writes, applied in the person's shard. */
@Injectable()
export class FacesService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly persons: PersonsService,
  ) {}

  /** One statement (FacesRepository.addToPerson) checks the person and its face limit, adds and counts. */
  async add(request: AddFaceRequest): Promise<AddFaceReply> {
    const reply = newFaceReply(request);
    const manager = this.dataSource.manager;
    return applyStatementOnce(
      request,
      () => new FacesRepository(manager).addToPerson(request, reply, Limits.facesPerPerson),
      async ({ face_count, added }) => {
        if (face_count === null) {
          await this.persons.require(manager, request); // the group's or the person's not-found
          throw new VisageError('PERSON_NOT_FOUND');
        }
        if (!added) throw new VisageError('FACE_LIMIT_REACHED');
        Metrics.facesAdded.inc(); // counted once committed, not on replays
        return reply;
      },
    );
  }

  async delete(request: FaceRef & IdempotentWrite): Promise<{ deleted: true }> {
    return applyOnce(this.dataSource, request, async (manager) => {
      await this.persons.require(manager, request, true);
      if (!(await new FacesRepository(manager).deleteOfPerson(request))) {
        throw new VisageError('PERSISTED_FACE_NOT_FOUND');
      }
      return { deleted: true as const };
    });
  }

  async get(ref: FaceRef): Promise<PersistedFaceView> {
    return persistedFaceView(await this.require(this.dataSource.manager, ref));
  }

  async update(request: UpdateFaceRequest): Promise<PersistedFaceView> {
    return applyOnce(this.dataSource, request, async (manager) => {
      const row = await this.require(manager, request);
      if (request.userData !== undefined) {
        row.userData = request.userData;
        await new FacesRepository(manager).updateUserData(row.persistedFaceId, row.userData);
      }
      return persistedFaceView(row);
    });
  }

  private async require(manager: EntityManager, ref: FaceRef): Promise<PersistedFaceEntity> {
    await this.persons.require(manager, ref);
    const row = await new FacesRepository(manager).findOfPerson(ref);
    if (!row) throw new VisageError('PERSISTED_FACE_NOT_FOUND');
    return row;
  }
}
