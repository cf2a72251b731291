/** Row → contract view, in one place. */
import type {
  DetectionModel,
  GroupView,
  ListFaceView,
  PersistedFaceView,
  PersonView,
  RecognitionModel,
} from '#contracts';
import type { CollectionEntity, PersistedFaceEntity, PersonEntity } from './entities';

export function groupView(row: CollectionEntity): GroupView {
  return {
    groupId: row.groupId,
    name: row.name,
    userData: row.userData,
    recognitionModel: row.recognitionModel as RecognitionModel,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function personView(row: PersonEntity, persistedFaceIds: string[]): PersonView {
  return {
    personId: row.personId,
    name: row.name,
    userData: row.userData,
    persistedFaceIds,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A person's face: its row has a person. */
export function persistedFaceView(row: PersistedFaceEntity): PersistedFaceView {
  return { ...listFaceView(row), personId: row.personId! };
}

export function listFaceView(row: PersistedFaceEntity): ListFaceView {
  return {
    persistedFaceId: row.persistedFaceId,
    userData: row.userData,
    detectionModel: row.detectionModel as DetectionModel,
    recognitionModel: row.recognitionModel as RecognitionModel,
    faceRectangle: row.faceRectangle,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Postgres error codes we turn into catalogue errors. */
export const PgErrors = { uniqueViolation: '23505', foreignKeyViolation: '23503' } as const;

export function pgErrorCode(error: unknown): string | undefined {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e?.driverError?.code ?? e?.code;
}
