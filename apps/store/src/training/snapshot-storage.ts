/**
 * Where a trained snapshot lives between training and identify: one `training_snapshot_chunk` row per part
 * (snapshot-encoding.ts). Codes travel as base64 text: Postgres sends bytea as hex, twice the bytes, and its
 * decoding dominated loading a million faces.
 */
import { type GroupRef, float32ToLittleEndian, littleEndianToFloat32 } from '#contracts';
import type { EntityManager } from 'typeorm';
import type { SnapshotPart } from './snapshot-encoding';

type Queryable = Pick<EntityManager, 'query'>;

export async function saveSnapshotPart(
  db: Queryable,
  ref: GroupRef,
  version: number,
  chunk: number,
  part: SnapshotPart,
): Promise<void> {
  await db.query(
    `INSERT INTO training_snapshot_chunk (tenant_id, kind, group_id, version, chunk, person_ids, face_counts, codes,
       residual_codes, scales, residual_scales, row_norm, residual_norm, refined_residual_norm)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      ref.tenantId,
      ref.kind,
      ref.groupId,
      version,
      chunk,
      part.personIds,
      Array.from(part.faceCounts),
      bytesOf(part.codes),
      bytesOf(part.residualCodes),
      float32ToLittleEndian(part.scales),
      float32ToLittleEndian(part.residualScales),
      part.norms.row,
      part.norms.residual,
      part.norms.refinedResidual,
    ],
  );
}

/** The parts of one snapshot version, in order. */
export async function loadSnapshotParts(db: Queryable, ref: GroupRef, version: number): Promise<SnapshotPart[]> {
  // Person ids as one string per part: parsing a uuid[] of a million elements costs more than splitting.
  const rows: {
    person_ids: string;
    face_counts: string;
    codes: string;
    residual_codes: string;
    scales: string;
    residual_scales: string;
    row_norm: number;
    residual_norm: number;
    refined_residual_norm: number;
  }[] = await db.query(
    `SELECT array_to_string(person_ids, ',') AS person_ids, array_to_string(face_counts, ',') AS face_counts,
       encode(codes, 'base64') AS codes, encode(residual_codes, 'base64') AS residual_codes,
       encode(scales, 'base64') AS scales, encode(residual_scales, 'base64') AS residual_scales,
       row_norm, residual_norm, refined_residual_norm
     FROM training_snapshot_chunk WHERE tenant_id = $1 AND kind = $2 AND group_id = $3 AND version = $4
     ORDER BY chunk`,
    [ref.tenantId, ref.kind, ref.groupId, version],
  );
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

function bytesOf(codes: Int8Array): Buffer {
  return Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength);
}

/** Postgres breaks base64 into lines; Node's decoder skips the line breaks. */
function int8From(base64: string): Int8Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
