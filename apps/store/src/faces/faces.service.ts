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
  float32ToLittleEndian,
} from '#contracts';
import { Metrics } from '#observability';
import type { DataSource, EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { PersistedFaceEntity, PersonEntity } from '../database/entities';
import { persistedFaceView } from '../database/views';
import { applyOnce, replayOf } from '../idempotency/applied-writes';
import { newFaceReply, type AddFaceOutcome } from './face-write';
import { PersonsService } from '../persons/persons.service';

@Injectable()
export class FacesService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly persons: PersonsService,
  ) {}

  /**
   * Person-level write, applied in the person's shard. The face limit and the person's existence are checked
   * with the person row locked, so they hold even if two writes for one person ever ran at once. It is the
   * hottest write, so the replay check, the lock, the limit, the insert, the count and the recorded result are
   * one statement: one round trip and one commit.
   */
  async add(request: AddFaceRequest): Promise<AddFaceReply> {
    const reply = newFaceReply(request);
    const [outcome] = (await this.dataSource.query(addFaceOnce, [
      request.requestId,
      request.personId,
      request.tenantId,
      request.groupId,
      reply.persistedFaceId,
      request.userData ?? null,
      request.detectionModel,
      request.recognitionModel,
      JSON.stringify(request.faceRectangle),
      float32ToLittleEndian(request.embedding),
      reply.createdAt,
      Limits.facesPerPerson,
      request.fingerprint,
      JSON.stringify(reply),
      request.kind,
    ])) as AddFaceOutcome[];
    if (outcome!.prior_fingerprint !== null) {
      return replayOf(request, { fingerprint: outcome!.prior_fingerprint, reply: outcome!.prior_reply });
    }
    if (outcome!.face_count === null) {
      await this.persons.require(this.dataSource.manager, request); // the group's or the person's not-found
      throw new VisageError('PERSON_NOT_FOUND');
    }
    if (!outcome!.added) throw new VisageError('FACE_LIMIT_REACHED');
    Metrics.facesAdded.inc(); // counted once committed, not on replays
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
    return applyOnce(this.dataSource, request, async (manager) => {
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
        kind: true,
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

/**
 * $1 request id, $2 person, $3 tenant, $4 group, $5 persisted face id, $6 user data, $7 detection model,
 * $8 recognition model, $9 rectangle (json), $10 embedding, $11 created at, $12 face limit, $13 fingerprint,
 * $14 reply (json), $15 collection kind. Nothing is written when the request was applied before, the person is missing (in this
 * group and tenant) or already holds the limit.
 */
const addFaceOnce = `
WITH prior AS (
  SELECT fingerprint, reply FROM applied_write WHERE request_id = $1
), target AS (
  SELECT person_id, face_count FROM person
  WHERE person_id = $2 AND tenant_id = $3 AND kind = $15 AND group_id = $4 AND NOT EXISTS (SELECT 1 FROM prior)
  FOR UPDATE
), face AS (
  INSERT INTO persisted_face (persisted_face_id, person_id, tenant_id, kind, group_id, user_data, detection_model,
                              recognition_model, face_rectangle, embedding, request_id, created_at)
  SELECT $5, person_id, $3, $15, $4, $6, $7, $8, $9::jsonb, $10, $1, $11 FROM target WHERE face_count < $12
  RETURNING person_id
), counted AS (
  UPDATE person SET face_count = face_count + 1 WHERE person_id IN (SELECT person_id FROM face) RETURNING person_id
), applied AS (
  INSERT INTO applied_write (request_id, fingerprint, reply, created_at) SELECT $1, $13, $14::jsonb, $11 FROM face
)
SELECT (SELECT fingerprint FROM prior) AS prior_fingerprint,
       (SELECT reply FROM prior) AS prior_reply,
       (SELECT face_count FROM target) AS face_count,
       EXISTS (SELECT 1 FROM counted) AS added`;
