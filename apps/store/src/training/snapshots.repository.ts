/**
 * Where a trained snapshot lives between training and identify: one `training_snapshot_chunk` row per part
 * (snapshot-encoding.ts), by collection and version. Codes travel as base64 text: Postgres sends bytea as hex,
 * twice the bytes, and its decoding dominated loading a million faces.
 */
import { float32ToLittleEndian, littleEndianToFloat32, type GroupRef } from '#contracts';
import { rowsOf, type Db } from '../database/sql';
import type { SnapshotPart } from './snapshot-encoding';

const insertPart = `
INSERT INTO training_snapshot_chunk (tenant_id, kind, group_id, version, chunk, person_ids, face_counts, codes,
                                     residual_codes, scales, residual_scales, row_norm, residual_norm,
                                     refined_residual_norm)
VALUES (:tenantId, :kind, :groupId, :version, :chunk, :personIds, :faceCounts, :codes,
        :residualCodes, :scales, :residualScales, :rowNorm, :residualNorm,
        :refinedResidualNorm)`;

/** Person ids as one string per part: parsing a uuid[] of a million elements costs more than splitting. */
const selectParts = `
SELECT array_to_string(person_ids, ',') AS person_ids, array_to_string(face_counts, ',') AS face_counts,
       encode(codes, 'base64') AS codes, encode(residual_codes, 'base64') AS residual_codes,
       encode(scales, 'base64') AS scales, encode(residual_scales, 'base64') AS residual_scales,
       row_norm, residual_norm, refined_residual_norm
FROM training_snapshot_chunk
WHERE tenant_id = :tenantId AND kind = :kind AND group_id = :groupId AND version = :version
ORDER BY chunk`;

const deleteVersion = `
DELETE FROM training_snapshot_chunk
WHERE tenant_id = :tenantId AND kind = :kind AND group_id = :groupId AND version = :version`;

/** Every version but the one the collection's training points at (its last success). */
const deleteUntrained = `
DELETE FROM training_snapshot_chunk c USING training t
WHERE c.tenant_id = :tenantId AND c.kind = :kind AND c.group_id = :groupId
  AND (t.tenant_id, t.kind, t.group_id) = (c.tenant_id, c.kind, c.group_id)
  AND c.version <> t.snapshot_version`;

/** The version, unless the training points at it: as its last success, or as the version being built now. */
const deleteUnreferencedVersion = `
DELETE FROM training_snapshot_chunk c
WHERE c.tenant_id = :tenantId AND c.kind = :kind AND c.group_id = :groupId AND c.version = :version
  AND NOT EXISTS (
    SELECT 1 FROM training t
    WHERE (t.tenant_id, t.kind, t.group_id) = (c.tenant_id, c.kind, c.group_id)
      AND :version IN (t.snapshot_version, t.building_version)
  )`;

interface PartRow {
  person_ids: string;
  face_counts: string;
  codes: string;
  residual_codes: string;
  scales: string;
  residual_scales: string;
  row_norm: number;
  residual_norm: number;
  refined_residual_norm: number;
}

export class SnapshotsRepository {
  constructor(private readonly db: Db) {}

  async savePart(ref: GroupRef, version: number, chunk: number, part: SnapshotPart): Promise<void> {
    await rowsOf(this.db, insertPart, {
      ...collectionOf(ref),
      version,
      chunk,
      personIds: part.personIds,
      faceCounts: Array.from(part.faceCounts),
      codes: bytesOf(part.codes),
      residualCodes: bytesOf(part.residualCodes),
      scales: float32ToLittleEndian(part.scales),
      residualScales: float32ToLittleEndian(part.residualScales),
      rowNorm: part.norms.row,
      residualNorm: part.norms.residual,
      refinedResidualNorm: part.norms.refinedResidual,
    });
  }

  /** The parts of one snapshot version, in order. */
  async loadParts(ref: GroupRef, version: number): Promise<SnapshotPart[]> {
    const rows = await rowsOf<PartRow>(this.db, selectParts, { ...collectionOf(ref), version });
    return rows.map((row) => ({
      personIds: row.person_ids === '' ? [] : row.person_ids.split(','),
      faceCounts: Int32Array.from(row.face_counts === '' ? [] : row.face_counts.split(','), Number),
      codes: int8From(row.codes),
      residualCodes: int8From(row.residual_codes),
      scales: littleEndianToFloat32(Buffer.from(row.scales, 'base64')),
      residualScales: littleEndianToFloat32(Buffer.from(row.residual_scales, 'base64')),
      norms: { row: row.row_norm, residual: row.residual_norm, refinedResidual: row.refined_residual_norm },
    }));
  }

  async deleteVersion(ref: GroupRef, version: number): Promise<void> {
    await rowsOf(this.db, deleteVersion, { ...collectionOf(ref), version });
  }

  /** Keeps only the snapshot identify reads: the one of the last successful training. */
  async keepOnlyTrained(ref: GroupRef): Promise<void> {
    await rowsOf(this.db, deleteUntrained, collectionOf(ref));
  }

  /** The parts of a build that lost its lease: no training will ever point at their version. */
  async discardAbandoned(ref: GroupRef, version: number): Promise<void> {
    await rowsOf(this.db, deleteUnreferencedVersion, { ...collectionOf(ref), version });
  }
}

function collectionOf(ref: GroupRef) {
  return { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId };
}

function bytesOf(codes: Int8Array): Buffer {
  return Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength);
}

/** Postgres breaks base64 into lines; Node's decoder skips the line breaks. */
function int8From(base64: string): Int8Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
