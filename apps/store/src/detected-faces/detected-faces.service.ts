import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { VisageError, type ErrorKey, type RecognitionModel, type SaveDetectedFacesRequest } from '#contracts';
import { float32ToLittleEndian, littleEndianToFloat32 } from '#messaging';
import { In, MoreThan, type DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { DetectedFaceEntity } from '../database/entities';

export interface DetectedFace {
  faceId: string;
  recognitionModel: RecognitionModel;
  embedding: Float32Array;
}

export interface DetectedFacesOptions {
  /** Live faceIds one tenant may hold. */
  quota: number;
  /** Expired rows one purge statement deletes at most. */
  purgeBatchSize: number;
}

export const DETECTED_FACES_OPTIONS = Symbol('DETECTED_FACES_OPTIONS');

/** Namespace of the per-tenant advisory locks that make the quota check and the insert one step. */
const quotaLockNamespace = 7_316_002;

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
    const { quota } = this.options;
    await this.dataSource.transaction(async (manager) => {
      // Concurrent Detects of one tenant would each see room for their faces; the lock makes them take turns.
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [quotaLockNamespace, request.tenantId]);
      // Counting stops at the quota: a tenant far over it costs no more than one at it.
      const [{ live }] = (await manager.query(
        `SELECT count(*)::int AS live FROM (
           SELECT 1 FROM detected_face WHERE tenant_id = $1 AND expires_at > now() LIMIT $2
         ) unexpired`,
        [request.tenantId, quota],
      )) as [{ live: number }];
      if (live + rows.length > quota) {
        throw new VisageError(
          'FACE_ID_QUOTA_REACHED',
          `This tenant holds ${live >= quota ? 'the limit of' : live} live faceIds (limit ${quota}); the ` +
            `${rows.length} detected faces do not fit. Wait for faceIds to expire, or detect with a shorter ` +
            `faceIdTimeToLive or with returnFaceId=false.`,
        );
      }
      await manager.getRepository(DetectedFaceEntity).insert(rows);
    });
    return { faceIds: rows.map((row) => row.faceId) };
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
      const [, count] = (await this.dataSource.query(
        `DELETE FROM detected_face WHERE face_id IN (
           SELECT face_id FROM detected_face WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED
         )`,
        [limit],
      )) as [unknown, number];
      deleted += count;
      batches++;
      if (count < limit) return { deleted, batches };
    }
  }
}
