import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { VisageError, type ErrorKey, type RecognitionModel, type SaveDetectedFacesRequest } from '#contracts';
import { float32ToLittleEndian, littleEndianToFloat32 } from '#messaging';
import { In, LessThan, MoreThan, type DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { DetectedFaceEntity } from '../database/entities';

export interface DetectedFace {
  faceId: string;
  recognitionModel: RecognitionModel;
  embedding: Float32Array;
}

@Injectable()
export class DetectedFacesService {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async save(request: SaveDetectedFacesRequest): Promise<{ faceIds: string[] }> {
    const expiresAt = new Date(Date.now() + request.ttlSeconds * 1000);
    const rows: DetectedFaceEntity[] = request.embeddings.map((embedding) => ({
      faceId: randomUUID(),
      tenantId: request.tenantId,
      recognitionModel: request.recognitionModel,
      embedding: float32ToLittleEndian(embedding),
      expiresAt,
    }));
    if (rows.length > 0) await this.dataSource.getRepository(DetectedFaceEntity).insert(rows);
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

  async pruneExpired(): Promise<void> {
    await this.dataSource.getRepository(DetectedFaceEntity).delete({ expiresAt: LessThan(new Date()) });
  }
}
