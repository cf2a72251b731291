/**
 * Persisted faces, whoever owns them: a person (person groups, large person groups) or a face list (face lists,
 * large face lists; `person_id` is null). The owner counts its faces in `face_count`, written with the face.
 */
import {
  float32ToLittleEndian,
  littleEndianToFloat32,
  type AddFaceReply,
  type AddFaceRequest,
  type AddListFaceRequest,
  type FaceRef,
  type GroupRef,
  type ListFaceRef,
  type ListPage,
} from '#contracts';
import { IsNull, MoreThan } from 'typeorm';
import { PersistedFaceEntity } from '../database/entities';
import { affectedBy, rowsOf, type Db, type Params } from '../database/sql';
import { appliedOnce, type AppliedOnceRow } from '../idempotency/applied-writes.repository';

/** What an add-face statement answers after the request's prior result (applied-writes.repository.ts). */
export interface AddFaceOutcome {
  /** The owner's count before the write; null when the owner is missing. */
  face_count: number | null;
  /** False when the owner already holds `:maxFaces`. */
  added: boolean;
}

type AddFaceStatementRow = AppliedOnceRow & AddFaceOutcome;

/** A face as training encodes it: the snapshot entry (person, or the face itself) it belongs to. */
export interface EntryFace {
  entryId: string;
  embedding: Float32Array;
}

/** A face compared by its embedding (verify, find similar). */
export interface StoredEmbedding {
  persistedFaceId: string;
  embedding: Float32Array;
}

/** A new face, whoever owns it: the statement's `owner` CTE gives person_id, tenant_id, kind and group_id. */
const insertFace = `
  INSERT INTO persisted_face (persisted_face_id, person_id, tenant_id, kind, group_id, user_data, detection_model,
                              recognition_model, face_rectangle, embedding, request_id, created_at)
  SELECT :persistedFaceId, person_id, tenant_id, kind, group_id, :userData, :detectionModel,
         :recognitionModel, :faceRectangle::jsonb, :embedding, :requestId, :createdAt
  FROM owner WHERE face_count < :maxFaces`;

/**
 * The hottest write, so one statement (one round trip, one commit): the replay check, the person locked (the
 * limit holds even if two writes for one person ever ran at once), the limit, the insert, the count and the
 * recorded result. Nothing is written when the request was applied before, when the person is missing from
 * this group and tenant, or when it already holds the limit.
 */
const addPersonFace = appliedOnce({
  steps: `
owner AS (
  SELECT person_id, tenant_id, kind, group_id, face_count FROM person
  WHERE person_id = :personId AND tenant_id = :tenantId AND kind = :kind AND group_id = :groupId
    AND NOT EXISTS (SELECT 1 FROM prior)
  FOR UPDATE
),
face AS (${insertFace}
  RETURNING person_id
),
counted AS (
  UPDATE person SET face_count = face_count + 1
  WHERE person_id IN (SELECT person_id FROM face)
  RETURNING person_id
)`,
  written: 'face',
  answer: `(SELECT face_count FROM owner) AS face_count, EXISTS (SELECT 1 FROM counted) AS added`,
});

/** As `addPersonFace`, with the list's row locked and counting instead of a person's. */
const addListFace = appliedOnce({
  steps: `
owner AS (
  SELECT NULL::uuid AS person_id, tenant_id, kind, group_id, face_count FROM collection
  WHERE tenant_id = :tenantId AND kind = :kind AND group_id = :groupId
    AND NOT EXISTS (SELECT 1 FROM prior)
  FOR UPDATE
),
face AS (${insertFace}
  RETURNING tenant_id, kind, group_id
),
counted AS (
  UPDATE collection c SET face_count = c.face_count + 1
  FROM face f WHERE (c.tenant_id, c.kind, c.group_id) = (f.tenant_id, f.kind, f.group_id)
  RETURNING c.group_id
)`,
  written: 'face',
  answer: `(SELECT face_count FROM owner) AS face_count, EXISTS (SELECT 1 FROM counted) AS added`,
});

/** Deletes a person's face and takes it off the person's count, in one statement. */
const deletePersonFace = `
WITH face AS (
  DELETE FROM persisted_face WHERE persisted_face_id = :persistedFaceId AND person_id = :personId
  RETURNING person_id
)
UPDATE person SET face_count = face_count - 1 WHERE person_id IN (SELECT person_id FROM face)`;

/** Deletes a list's face and takes it off the list's count, in one statement. */
const deleteListFace = `
WITH face AS (
  DELETE FROM persisted_face
  WHERE persisted_face_id = :persistedFaceId AND tenant_id = :tenantId AND kind = :kind AND group_id = :groupId
    AND person_id IS NULL
  RETURNING tenant_id, kind, group_id
)
UPDATE collection c SET face_count = c.face_count - 1
FROM face f WHERE (c.tenant_id, c.kind, c.group_id) = (f.tenant_id, f.kind, f.group_id)`;

const listFaceEmbeddings = `
SELECT persisted_face_id, embedding FROM persisted_face
WHERE tenant_id = :tenantId AND kind = :kind AND group_id = :groupId`;

/**
 * By primary key alone, the list checked by the caller: given the list's columns too, Postgres may walk the
 * whole list's index (a million faces) when its statistics predate a large import.
 */
const facesById = `
SELECT persisted_face_id, tenant_id, kind, group_id FROM persisted_face
WHERE persisted_face_id = ANY(:ids::uuid[])`;

/**
 * A collection's faces by snapshot entry: a person's faces together (the encoded snapshot keeps them so), and each
 * face of a face list an entry of its own, as a person with one face.
 */
const declareEntryCursor = `
DECLARE collection_faces NO SCROLL CURSOR FOR
SELECT coalesce(person_id, persisted_face_id) AS entry_id, embedding FROM persisted_face
WHERE tenant_id = :tenantId AND kind = :kind AND group_id = :groupId
ORDER BY entry_id`;

/** What the views show of a face (not its embedding). */
const faceColumns = {
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
} as const;

export class FacesRepository {
  constructor(private readonly db: Db) {}

  /** `addPersonFace`: the request's prior result, or what adding under the person's limit did. */
  async addToPerson(request: AddFaceRequest, reply: AddFaceReply, maxFaces: number): Promise<AddFaceStatementRow> {
    const params = { ...newFace(request, reply, maxFaces), personId: request.personId };
    const [outcome] = await rowsOf<AddFaceStatementRow>(this.db, addPersonFace, params);
    return outcome!;
  }

  /** `addListFace`: the request's prior result, or what adding under the list's limit did. */
  async addToList(request: AddListFaceRequest, reply: AddFaceReply, maxFaces: number): Promise<AddFaceStatementRow> {
    const [outcome] = await rowsOf<AddFaceStatementRow>(this.db, addListFace, newFace(request, reply, maxFaces));
    return outcome!;
  }

  async findOfPerson(ref: FaceRef): Promise<PersistedFaceEntity | null> {
    return this.db.findOne(PersistedFaceEntity, {
      select: faceColumns,
      where: { persistedFaceId: ref.persistedFaceId, personId: ref.personId },
    });
  }

  async findOfList(ref: ListFaceRef): Promise<PersistedFaceEntity | null> {
    return this.db.findOne(PersistedFaceEntity, {
      select: faceColumns,
      where: { ...listFacesOf(ref), persistedFaceId: ref.persistedFaceId },
    });
  }

  /** A page of a list's faces, by persistedFaceId as Azure pages them. */
  async pageOfList(request: GroupRef & ListPage): Promise<PersistedFaceEntity[]> {
    return this.db.find(PersistedFaceEntity, {
      select: faceColumns,
      where: {
        ...listFacesOf(request),
        ...(request.start ? { persistedFaceId: MoreThan(request.start) } : {}),
      },
      order: { persistedFaceId: 'ASC' },
      take: request.top,
    });
  }

  async updateUserData(persistedFaceId: string, userData: string | null): Promise<void> {
    await this.db.update(PersistedFaceEntity, { persistedFaceId }, { userData });
  }

  /** False when the person has no such face. */
  async deleteOfPerson(ref: FaceRef): Promise<boolean> {
    const params = { persistedFaceId: ref.persistedFaceId, personId: ref.personId };
    return (await affectedBy(this.db, deletePersonFace, params)) === 1;
  }

  /** False when the list has no such face. */
  async deleteOfList(ref: ListFaceRef): Promise<boolean> {
    const params = { ...collectionOf(ref), persistedFaceId: ref.persistedFaceId };
    return (await affectedBy(this.db, deleteListFace, params)) === 1;
  }

  async embeddingsOfPerson(personId: string): Promise<StoredEmbedding[]> {
    const rows = await this.db.find(PersistedFaceEntity, {
      select: { persistedFaceId: true, embedding: true },
      where: { personId },
    });
    return rows.map((row) => ({
      persistedFaceId: row.persistedFaceId,
      embedding: littleEndianToFloat32(row.embedding),
    }));
  }

  /** All the faces of a collection with their embeddings (a face list holds at most 1,000). */
  async embeddingsOf(ref: GroupRef): Promise<StoredEmbedding[]> {
    const rows = await rowsOf<{ persisted_face_id: string; embedding: Buffer }>(
      this.db,
      listFaceEmbeddings,
      collectionOf(ref),
    );
    return rows.map((row) => ({
      persistedFaceId: row.persisted_face_id,
      embedding: littleEndianToFloat32(row.embedding),
    }));
  }

  /** Which of these faces are still in the collection. */
  async existingIn(ref: GroupRef, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await rowsOf<{ persisted_face_id: string; tenant_id: string; kind: string; group_id: string }>(
      this.db,
      facesById,
      { ids },
    );
    const inCollection = rows.filter(
      (row) => row.tenant_id === ref.tenantId && row.kind === ref.kind && row.group_id === ref.groupId,
    );
    return new Set(inCollection.map((row) => row.persisted_face_id));
  }

  /**
   * The collection's faces by entry (`declareEntryCursor`), `batchRows` at a time: one cursor, so one consistent read
   * however many batches it takes, on a connection of its own. Stopping early closes it.
   */
  async *byEntry(ref: GroupRef, batchRows: number): AsyncGenerator<EntryFace[]> {
    const reader = this.db.connection.createQueryRunner();
    try {
      await reader.connect();
      await reader.startTransaction();
      await rowsOf(reader.manager, declareEntryCursor, collectionOf(ref));
      for (;;) {
        const rows = await rowsOf<{ entry_id: string; embedding: Buffer }>(
          reader.manager,
          `FETCH ${batchRows} FROM collection_faces`,
        );
        if (rows.length === 0) break;
        yield rows.map((row) => ({ entryId: row.entry_id, embedding: littleEndianToFloat32(row.embedding) }));
      }
      await reader.commitTransaction();
    } finally {
      if (reader.isTransactionActive) await reader.rollbackTransaction().catch(() => undefined);
      await reader.release();
    }
  }
}

function newFace(request: AddListFaceRequest, reply: AddFaceReply, maxFaces: number): Params {
  return {
    ...collectionOf(request),
    requestId: request.requestId,
    fingerprint: request.fingerprint,
    reply: JSON.stringify(reply),
    persistedFaceId: reply.persistedFaceId,
    userData: request.userData ?? null,
    detectionModel: request.detectionModel,
    recognitionModel: request.recognitionModel,
    faceRectangle: JSON.stringify(request.faceRectangle),
    embedding: float32ToLittleEndian(request.embedding),
    createdAt: reply.createdAt,
    maxFaces,
  };
}

function collectionOf(ref: GroupRef): Params {
  return { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId };
}

function listFacesOf(ref: GroupRef) {
  return { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId, personId: IsNull() };
}
