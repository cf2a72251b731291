import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  VisageError,
  type ErrorKey,
  type RecognitionModel,
  type SaveDetectedFacesRequest,
  float32ToLittleEndian,
  littleEndianToFloat32,
} from '#contracts';
import { In, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { DetectedFaceEntity } from '../database/entities';

export interface DetectedFace {
  faceId: string;
  recognitionModel: RecognitionModel;
  embedding: Float32Array;
}

export interface DetectedFacesOptions {
  /** FaceIds one tenant may hold (expired ones count until purged, which a Detect at the quota does first). */
  quota: number;
  /** Expired rows one purge statement deletes at most. */
  purgeBatchSize: number;
}

export const DETECTED_FACES_OPTIONS = Symbol('DETECTED_FACES_OPTIONS');

@Injectable()
export class DetectedFacesService {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(DETECTED_FACES_OPTIONS) private readonly options: DetectedFacesOptions,
  ) {}

  /** Stores the faces of one Detect, all or none: FACE_ID_QUOTA_REACHED when they would pass the tenant's quota. */
  async save(request: SaveDetectedFacesRequest): Promise<{ faceIds: string[] }> {
    const expiresAt = new Date(Date.now() + request.ttlSeconds * 1000);
    const rows: DetectedFaceEntity[] = request.embeddings.map((embedding) => ({
      faceId: randomUUID(),
      tenantId: request.tenantId,
      recognitionModel: request.recognitionModel,
      embedding: float32ToLittleEndian(embedding),
      expiresAt,
    }));
    if (rows.length === 0) return { faceIds: [] };
    await this.dataSource.transaction(async (manager) => {
      // The tally row is locked until commit, so concurrent Detects of one tenant take turns at the quota.
      if (!(await this.reserve(manager, request.tenantId, rows.length))) {
        // Expired faceIds still count until purged: purge this tenant's now, then decide.
        await manager.query(
          `${purgeStatement('WHERE tenant_id = $2 AND expires_at <= now()')} SELECT count(*) FROM purged`,
          [this.options.purgeBatchSize, request.tenantId],
        );
        if (!(await this.reserve(manager, request.tenantId, rows.length))) {
          throw new VisageError(
            'FACE_ID_QUOTA_REACHED',
            `This tenant holds its limit of ${this.options.quota} live faceIds; the ${rows.length} detected ` +
              `faces do not fit. Wait for faceIds to expire, or detect with a shorter faceIdTimeToLive or with ` +
              `returnFaceId=false.`,
          );
        }
      }
      await manager.getRepository(DetectedFaceEntity).insert(rows);
    });
    return { faceIds: rows.map((row) => row.faceId) };
  }

  /** Adds `count` to the tenant's tally if the result stays within the quota; false (and nothing added) if not. */
  private async reserve(manager: EntityManager, tenantId: string, count: number): Promise<boolean> {
    if (count > this.options.quota) return false;
    const reserved = (await manager.query(
      `INSERT INTO detected_face_tally AS tally (tenant_id, stored) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET stored = tally.stored + $2 WHERE tally.stored + $2 <= $3
       RETURNING stored`,
      [tenantId, count, this.options.quota],
    )) as unknown[];
    return reserved.length === 1;
  }

  /** The live faces of the tenant with these ids, in the same order; any unknown or expired one is `missing`. */
  async load(tenantId: string, faceIds: string[], missing: ErrorKey): Promise<DetectedFace[]> {
    const rows = await this.dataSource.getRepository(DetectedFaceEntity).find({
      where: { faceId: In(faceIds), tenantId, expiresAt: MoreThan(new Date()) },
    });
    const byId = new Map(rows.map((row) => [row.faceId, row]));
    return faceIds.map((faceId) => {
      const row = byId.get(faceId);
      if (!row) throw new VisageError(missing, `Face ${faceId} is not found or has expired.`);
      return {
        faceId,
        recognitionModel: row.recognitionModel as RecognitionModel,
        embedding: littleEndianToFloat32(row.embedding),
      };
    });
  }

  /**
   * Deletes expired faces in statements of at most purgeBatchSize rows, so no purge holds a long transaction or
   * a large lock set; replicas purging at once skip each other's rows instead of waiting on them.
   */
  async purgeExpired(): Promise<{ deleted: number; batches: number }> {
    const limit = this.options.purgeBatchSize;
    let deleted = 0;
    let batches = 0;
    for (;;) {
      const [{ count }] = (await this.dataSource.query(
        `${purgeStatement('WHERE expires_at <= now()')} SELECT count(*)::int AS count FROM purged`,
        [limit],
      )) as [{ count: number }];
      deleted += count;
      batches++;
      if (count < limit) return { deleted, batches };
    }
  }
}

/**
 * The start of one statement that deletes at most $1 faces matching `where` and takes them off their tenants'
 * tallies (never below zero: faces stored before the tally existed were never on it); `purged` names the rows.
 */
function purgeStatement(where: string): string {
  return `WITH purged AS (
      DELETE FROM detected_face WHERE face_id IN (
        SELECT face_id FROM detected_face ${where} LIMIT $1 FOR UPDATE SKIP LOCKED
      ) RETURNING tenant_id
    ), untallied AS (
      UPDATE detected_face_tally AS tally SET stored = GREATEST(tally.stored - purged_count.n, 0)
      FROM (SELECT tenant_id, count(*)::int AS n FROM purged GROUP BY tenant_id) AS purged_count
      WHERE tally.tenant_id = purged_count.tenant_id
    )`;
}
