import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { VisageError, type ErrorKey, type SaveDetectedFacesRequest } from '#contracts';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { DetectedFacesRepository, type DetectedFace } from './detected-faces.repository';

export type { DetectedFace } from './detected-faces.repository';

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
    const { tenantId, recognitionModel } = request;
    const expiresAt = new Date(Date.now() + request.ttlSeconds * 1000);
    const faces = request.embeddings.map((embedding) => ({
      faceId: randomUUID(),
      tenantId,
      recognitionModel,
      embedding,
      expiresAt,
    }));
    if (faces.length === 0) return { faceIds: [] };
    await this.dataSource.transaction(async (manager) => {
      const detected = new DetectedFacesRepository(manager);
      const { quota } = this.options;
      // The tally row is locked until commit, so concurrent Detects of one tenant take turns at the quota.
      const reserve = async () => faces.length <= quota && detected.reserve(tenantId, faces.length, quota);
      if (!(await reserve())) {
        // Expired faceIds still count until purged: purge this tenant's now, then decide.
        await detected.purgeExpiredOfTenant(tenantId, this.options.purgeBatchSize);
        if (!(await reserve())) {
          throw new VisageError(
            'FACE_ID_QUOTA_REACHED',
            `This tenant holds its limit of ${this.options.quota} live faceIds; the ${faces.length} detected ` +
              `faces do not fit. Wait for faceIds to expire, or detect with a shorter faceIdTimeToLive or with ` +
              `returnFaceId=false.`,
          );
        }
      }
      await detected.insert(faces);
    });
    return { faceIds: faces.map((face) => face.faceId) };
  }

  /** The live faces of the tenant with these ids, in the same order; any unknown or expired one is `missing`. */
  async load(tenantId: string, faceIds: string[], missing: ErrorKey): Promise<DetectedFace[]> {
    const faces = await new DetectedFacesRepository(this.dataSource.manager).findLive(tenantId, faceIds);
    const byId = new Map(faces.map((face) => [face.faceId, face]));
    return faceIds.map((faceId) => {
      const face = byId.get(faceId);
      if (!face) throw new VisageError(missing, `Face ${faceId} is not found or has expired.`);
      return face;
    });
  }

  /**
   * Deletes expired faces in statements of at most purgeBatchSize rows, so no purge holds a long transaction or
   * a large lock set.
   */
  async purgeExpired(): Promise<{ deleted: number; batches: number }> {
    const detected = new DetectedFacesRepository(this.dataSource.manager);
    const limit = this.options.purgeBatchSize;
    let deleted = 0;
    let batches = 0;
    for (;;) {
      const count = await detected.purgeExpired(limit);
      deleted += count;
      batches++;
      if (count < limit) return { deleted, batches };
    }
  }
}
