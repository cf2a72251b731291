/**
 * The faces of face lists and large face lists: no person, the list owns and counts them. Adding and deleting
 * are applied through the list's shard (one at a time per list), like a person's faces through the person's.
 */
import { Inject, Injectable } from '@nestjs/common';
import {
  Collections,
  VisageError,
  type AddFaceReply,
  type AddListFaceRequest,
  type EnrolmentTarget,
  type GroupRef,
  type IdempotentWrite,
  type ListFaceRef,
  type ListFaceView,
  type ListPage,
  type RecognitionModel,
  type UpdateListFaceRequest,
  float32ToLittleEndian,
} from '#contracts';
import { Metrics } from '#observability';
import { IsNull, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { CollectionEntity, PersistedFaceEntity } from '../database/entities';
import { listFaceView } from '../database/views';
import { newFaceReply, type AddFaceOutcome } from '../faces/face-write';
import { GroupsService } from '../groups/groups.service';
import { applyOnce, replayOf } from '../idempotency/applied-writes';

@Injectable()
export class ListFacesService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly groups: GroupsService,
  ) {}

  /** The list's limit is checked with its row locked; replay check, insert, count and result are one statement. */
  async add(request: AddListFaceRequest): Promise<AddFaceReply> {
    const reply = newFaceReply(request);
    const maxFaces = this.listRules(request).maxFaces!;
    const [outcome] = (await this.dataSource.query(addListFaceOnce, [
      request.requestId,
      request.tenantId,
      request.kind,
      request.groupId,
      reply.persistedFaceId,
      request.userData ?? null,
      request.detectionModel,
      request.recognitionModel,
      JSON.stringify(request.faceRectangle),
      float32ToLittleEndian(request.embedding),
      reply.createdAt,
      maxFaces,
      request.fingerprint,
      JSON.stringify(reply),
    ])) as AddFaceOutcome[];
    if (outcome!.prior_fingerprint !== null) {
      return replayOf(request, { fingerprint: outcome!.prior_fingerprint, reply: outcome!.prior_reply });
    }
    if (outcome!.face_count === null) throw new VisageError(Collections[request.kind].errors.notFound);
    if (!outcome!.added) {
      throw new VisageError(
        'LIST_FACE_LIMIT_REACHED',
        `The ${Collections[request.kind].title.toLowerCase()} already holds ${maxFaces.toLocaleString('en')} faces.`,
      );
    }
    Metrics.facesAdded.inc();
    return reply;
  }

  async delete(request: ListFaceRef & IdempotentWrite): Promise<{ deleted: true }> {
    return applyOnce(this.dataSource, request, async (manager) => {
      await this.groups.require(manager, request, 'update');
      const result = await manager.delete(PersistedFaceEntity, {
        ...this.facesOf(request),
        persistedFaceId: request.persistedFaceId,
      });
      if (!result.affected) throw new VisageError('PERSISTED_FACE_NOT_FOUND');
      await manager.decrement(CollectionEntity, this.listOf(request), 'faceCount', 1);
      return { deleted: true as const };
    });
  }

  async get(ref: ListFaceRef): Promise<ListFaceView> {
    return listFaceView(await this.require(this.dataSource.manager, ref));
  }

  /** Ordered by persistedFaceId, as Azure pages them. */
  async list(request: GroupRef & ListPage): Promise<ListFaceView[]> {
    const manager = this.dataSource.manager;
    await this.groups.require(manager, request);
    const rows = await manager.find(PersistedFaceEntity, {
      select: faceColumns,
      where: {
        ...this.facesOf(request),
        ...(request.start ? { persistedFaceId: MoreThan(request.start) } : {}),
      },
      order: { persistedFaceId: 'ASC' },
      take: request.top,
    });
    return rows.map(listFaceView);
  }

  async update(request: UpdateListFaceRequest): Promise<ListFaceView> {
    return applyOnce(this.dataSource, request, async (manager) => {
      const row = await this.require(manager, request);
      if (request.userData !== undefined) {
        row.userData = request.userData;
        await manager.update(PersistedFaceEntity, { persistedFaceId: row.persistedFaceId }, { userData: row.userData });
      }
      return listFaceView(row);
    });
  }

  async enrolmentTarget(ref: GroupRef): Promise<EnrolmentTarget> {
    const list = await this.groups.require(this.dataSource.manager, ref);
    return { recognitionModel: list.recognitionModel as RecognitionModel, faceCount: list.faceCount };
  }

  private async require(manager: EntityManager, ref: ListFaceRef): Promise<PersistedFaceEntity> {
    await this.groups.require(manager, ref);
    const row = await manager.findOne(PersistedFaceEntity, {
      select: faceColumns,
      where: { ...this.facesOf(ref), persistedFaceId: ref.persistedFaceId },
    });
    if (!row) throw new VisageError('PERSISTED_FACE_NOT_FOUND');
    return row;
  }

  private listRules(ref: GroupRef) {
    const rules = Collections[ref.kind];
    if (rules.holds !== 'faces') throw new VisageError(rules.errors.notFound);
    return rules;
  }

  private listOf(ref: GroupRef) {
    return { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId };
  }

  private facesOf(ref: GroupRef) {
    this.listRules(ref);
    return { ...this.listOf(ref), personId: IsNull() };
  }
}

const faceColumns = {
  persistedFaceId: true,
  tenantId: true,
  kind: true,
  groupId: true,
  userData: true,
  detectionModel: true,
  recognitionModel: true,
  faceRectangle: true,
  createdAt: true,
} as const;

/**
 * $1 request id, $2 tenant, $3 kind, $4 list, $5 persisted face id, $6 user data, $7 detection model,
 * $8 recognition model, $9 rectangle (json), $10 embedding, $11 created at, $12 face limit, $13 fingerprint,
 * $14 reply (json). Nothing is written when the request was applied before, the list is missing or already
 * holds the limit.
 */
const addListFaceOnce = `
WITH prior AS (
  SELECT fingerprint, reply FROM applied_write WHERE request_id = $1
), target AS (
  SELECT tenant_id, kind, group_id, face_count FROM collection
  WHERE tenant_id = $2 AND kind = $3 AND group_id = $4 AND NOT EXISTS (SELECT 1 FROM prior)
  FOR UPDATE
), face AS (
  INSERT INTO persisted_face (persisted_face_id, person_id, tenant_id, kind, group_id, user_data, detection_model,
                              recognition_model, face_rectangle, embedding, request_id, created_at)
  SELECT $5, NULL, tenant_id, kind, group_id, $6, $7, $8, $9::jsonb, $10, $1, $11 FROM target WHERE face_count < $12
  RETURNING tenant_id, kind, group_id
), counted AS (
  UPDATE collection c SET face_count = c.face_count + 1 FROM face f
  WHERE (c.tenant_id, c.kind, c.group_id) = (f.tenant_id, f.kind, f.group_id)
  RETURNING c.group_id
), applied AS (
  INSERT INTO applied_write (request_id, fingerprint, reply, created_at) SELECT $1, $13, $14::jsonb, $11 FROM face
)
SELECT (SELECT fingerprint FROM prior) AS prior_fingerprint,
       (SELECT reply FROM prior) AS prior_reply,
       (SELECT face_count FROM target) AS face_count,
       EXISTS (SELECT 1 FROM counted) AS added`;
