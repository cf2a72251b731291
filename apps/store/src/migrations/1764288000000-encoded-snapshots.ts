import type { QueryRunner, MigrationInterface } from 'typeorm';
import { float32ToLittleEndian, littleEndianToFloat32 } from '#messaging';
import { encodeRows, snapshotPartRows, type SnapshotPart } from '../training/snapshot-encoding';

/**
 * Snapshots are stored encoded (int8 codes grouped by person) instead of as float32 rows, so that loading one
 * copies bytes. Snapshots trained before are converted here, so identify keeps answering without a retraining.
 */
export class EncodedSnapshots1764288000000 implements MigrationInterface {
  name = 'EncodedSnapshots1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE training_snapshot_chunk RENAME TO training_snapshot_chunk_float32`);
    await queryRunner.query(
      `ALTER TABLE training_snapshot_chunk_float32 RENAME CONSTRAINT training_snapshot_chunk_pkey
         TO training_snapshot_chunk_float32_pkey`,
    );
    await queryRunner.query(`
      CREATE TABLE training_snapshot_chunk (
        tenant_id text NOT NULL,
        group_id text NOT NULL,
        version int NOT NULL,
        chunk int NOT NULL,
        person_ids uuid[] NOT NULL,
        face_counts int[] NOT NULL,
        codes bytea NOT NULL,
        residual_codes bytea NOT NULL,
        scales bytea NOT NULL,
        residual_scales bytea NOT NULL,
        row_norm double precision NOT NULL,
        residual_norm double precision NOT NULL,
        refined_residual_norm double precision NOT NULL,
        PRIMARY KEY (tenant_id, group_id, version, chunk),
        FOREIGN KEY (tenant_id, group_id) REFERENCES large_person_group (tenant_id, group_id) ON DELETE CASCADE
      )`);
    const snapshots: { tenant_id: string; group_id: string; version: number }[] = await queryRunner.query(
      `SELECT DISTINCT tenant_id, group_id, version FROM training_snapshot_chunk_float32`,
    );
    for (const { tenant_id: tenantId, group_id: groupId, version } of snapshots) {
      const chunks: { person_ids: string[]; embeddings: Buffer }[] = await queryRunner.query(
        `SELECT person_ids, embeddings FROM training_snapshot_chunk_float32
         WHERE tenant_id = $1 AND group_id = $2 AND version = $3 ORDER BY chunk`,
        [tenantId, groupId, version],
      );
      const personIdOfRow = chunks.flatMap((chunk) => chunk.person_ids);
      const matrix = littleEndianToFloat32(Buffer.concat(chunks.map((chunk) => chunk.embeddings)));
      if (personIdOfRow.length === 0) continue;
      const parts = encodeRows(matrix.length / personIdOfRow.length, personIdOfRow, matrix, snapshotPartRows);
      for (const [chunk, part] of parts.entries()) {
        await saveEncodedPart(queryRunner, tenantId, groupId, version, chunk, part);
      }
    }
    await queryRunner.query(`DROP TABLE training_snapshot_chunk_float32`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The float32 vectors cannot be recovered from the codes exactly: every group needs training again.
    await queryRunner.query(`DELETE FROM training_snapshot_chunk`);
    await queryRunner.query(`DELETE FROM training`);
    await queryRunner.query(`
      ALTER TABLE training_snapshot_chunk DROP COLUMN face_counts, DROP COLUMN codes, DROP COLUMN residual_codes,
        DROP COLUMN scales, DROP COLUMN residual_scales, DROP COLUMN row_norm, DROP COLUMN residual_norm,
        DROP COLUMN refined_residual_norm, ADD COLUMN embeddings bytea NOT NULL`);
  }
}

/** The table as this migration leaves it: later migrations change it, so the live storage code cannot write here. */
async function saveEncodedPart(
  queryRunner: QueryRunner,
  tenantId: string,
  groupId: string,
  version: number,
  chunk: number,
  part: SnapshotPart,
): Promise<void> {
  const bytes = (codes: Int8Array) => Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength);
  await queryRunner.query(
    `INSERT INTO training_snapshot_chunk (tenant_id, group_id, version, chunk, person_ids, face_counts, codes,
       residual_codes, scales, residual_scales, row_norm, residual_norm, refined_residual_norm)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      tenantId,
      groupId,
      version,
      chunk,
      part.personIds,
      Array.from(part.faceCounts),
      bytes(part.codes),
      bytes(part.residualCodes),
      float32ToLittleEndian(part.scales),
      float32ToLittleEndian(part.residualScales),
      part.norms.row,
      part.norms.residual,
      part.norms.refinedResidual,
    ],
  );
}
