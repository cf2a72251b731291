/**
 * The faces Detect saved (faceIds, kept until they expire) and each tenant's tally of them, which the quota is
 * checked against: counting a tenant's rows on every Detect would cost more the more faceIds it holds.
 */
import { float32ToLittleEndian, littleEndianToFloat32, type RecognitionModel } from '#contracts';
import { DetectedFaceEntity } from '../database/entities';
import { rowsOf, type Db } from '../database/sql';

export interface DetectedFace {
  faceId: string;
  recognitionModel: RecognitionModel;
  embedding: Float32Array;
}

/**
 * Adds :count to the tenant's tally unless that passes :quota. The tally row stays locked until commit, so
 * concurrent Detects of one tenant take turns at the quota. No row back: nothing was added.
 */
const reserve = `
INSERT INTO detected_face_tally AS tally (tenant_id, stored) VALUES (:tenantId, :count)
ON CONFLICT (tenant_id) DO UPDATE SET stored = tally.stored + :count
WHERE tally.stored + :count <= :quota
RETURNING stored`;

/**
 * One statement that deletes at most :limit expired faces matching `where` and takes them off their tenants'
 * tallies (never below zero: faces stored before the tally existed were never on it); it answers how many.
 * Replicas purging at once skip each other's rows instead of waiting on them.
 */
function purgeExpiredWhere(where: string): string {
  return `
WITH purged AS (
  DELETE FROM detected_face WHERE face_id IN (
    SELECT face_id FROM detected_face WHERE ${where} LIMIT :limit FOR UPDATE SKIP LOCKED
  )
  RETURNING tenant_id
),
untallied AS (
  UPDATE detected_face_tally AS tally SET stored = GREATEST(tally.stored - purged_count.n, 0)
  FROM (SELECT tenant_id, count(*)::int AS n FROM purged GROUP BY tenant_id) AS purged_count
  WHERE tally.tenant_id = purged_count.tenant_id
)
SELECT count(*)::int AS count FROM purged`;
}

const liveFaces = `
SELECT face_id, recognition_model, embedding FROM detected_face
WHERE face_id = ANY(:faceIds::uuid[]) AND tenant_id = :tenantId AND expires_at > :now`;

const purgeExpired = purgeExpiredWhere('expires_at <= now()');

const purgeExpiredOfTenant = purgeExpiredWhere('tenant_id = :tenantId AND expires_at <= now()');

export class DetectedFacesRepository {
  constructor(private readonly db: Db) {}

  /** False (and nothing added) when `count` more faceIds would pass the tenant's quota. */
  async reserve(tenantId: string, count: number, quota: number): Promise<boolean> {
    return (await rowsOf(this.db, reserve, { tenantId, count, quota })).length === 1;
  }

  async insert(faces: (DetectedFace & { tenantId: string; expiresAt: Date })[]): Promise<void> {
    await this.db.insert(
      DetectedFaceEntity,
      faces.map((face) => ({ ...face, embedding: float32ToLittleEndian(face.embedding) })),
    );
  }

  /** The tenant's faces of these ids that have not expired. */
  async findLive(tenantId: string, faceIds: string[]): Promise<DetectedFace[]> {
    const rows = await rowsOf<{ face_id: string; recognition_model: RecognitionModel; embedding: Buffer }>(
      this.db,
      liveFaces,
      { faceIds, tenantId, now: new Date() },
    );
    return rows.map((row) => ({
      faceId: row.face_id,
      recognitionModel: row.recognition_model,
      embedding: littleEndianToFloat32(row.embedding),
    }));
  }

  /** One bounded batch of expired faces; answers how many went. */
  async purgeExpired(limit: number): Promise<number> {
    const [purged] = await rowsOf<{ count: number }>(this.db, purgeExpired, { limit });
    return purged!.count;
  }

  /** As `purgeExpired`, for one tenant. */
  async purgeExpiredOfTenant(tenantId: string, limit: number): Promise<number> {
    const [purged] = await rowsOf<{ count: number }>(this.db, purgeExpiredOfTenant, { tenantId, limit });
    return purged!.count;
  }
}
