import type { QueryRunner, MigrationInterface } from 'typeorm';

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
      const matrix = float32From(Buffer.concat(chunks.map((chunk) => chunk.embeddings)));
      if (personIdOfRow.length === 0) continue;
      const parts = encodeRows(matrix.length / personIdOfRow.length, personIdOfRow, matrix);
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
  part: EncodedPart,
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
      bytesOfFloat32(part.scales),
      bytesOfFloat32(part.residualScales),
      part.norms.row,
      part.norms.residual,
      part.norms.refinedResidual,
    ],
  );
}

/*
 * The encoding as it stood when this migration was written, kept here so that later changes to the live encoder
 * (training/snapshot-encoding.ts) never change what this migration writes.
 */

/** Rows per stored part, as then. */
const partRows = 20_000;

/** Consecutive persons with all their rows, int8 codes in two stages (v ≈ a·c + b·r). */
interface EncodedPart {
  personIds: string[];
  faceCounts: Int32Array;
  codes: Int8Array;
  residualCodes: Int8Array;
  scales: Float32Array;
  residualScales: Float32Array;
  /** Largest norm over the part's rows of v, of v − a·c and of v − a·c − b·r. */
  norms: { row: number; residual: number; refinedResidual: number };
}

/** Groups the rows by person (in order of first appearance) into parts that never split a person. */
function encodeRows(dimension: number, personIdOfRow: string[], matrix: Float32Array): EncodedPart[] {
  const rowsOfPerson = new Map<string, number[]>();
  for (const [row, personId] of personIdOfRow.entries()) {
    const rows = rowsOfPerson.get(personId);
    if (rows) rows.push(row);
    else rowsOfPerson.set(personId, [row]);
  }
  const parts: EncodedPart[] = [];
  let persons: [string, number[]][] = [];
  let rows = 0;
  for (const person of rowsOfPerson) {
    if (rows >= partRows) {
      parts.push(encodePart(dimension, persons, matrix));
      persons = [];
      rows = 0;
    }
    persons.push(person);
    rows += person[1].length;
  }
  if (rows > 0) parts.push(encodePart(dimension, persons, matrix));
  return parts;
}

function encodePart(dimension: number, persons: [string, number[]][], matrix: Float32Array): EncodedPart {
  const rows = persons.flatMap(([, personRows]) => personRows);
  const part: EncodedPart = {
    personIds: persons.map(([personId]) => personId),
    faceCounts: Int32Array.from(persons, ([, personRows]) => personRows.length),
    codes: new Int8Array(rows.length * dimension),
    residualCodes: new Int8Array(rows.length * dimension),
    scales: new Float32Array(rows.length),
    residualScales: new Float32Array(rows.length),
    norms: { row: 0, residual: 0, refinedResidual: 0 },
  };
  const rest = new Float64Array(dimension);
  for (const [i, row] of rows.entries()) {
    for (let k = 0; k < dimension; k++) rest[k] = matrix[row * dimension + k]!;
    const rowNorm = Math.sqrt(sumOfSquares(rest));
    part.scales[i] = quantise(rest, part.codes, i * dimension);
    const residualNorm = Math.sqrt(sumOfSquares(rest));
    part.residualScales[i] = quantise(rest, part.residualCodes, i * dimension);
    part.norms.row = Math.max(part.norms.row, rowNorm);
    part.norms.residual = Math.max(part.norms.residual, residualNorm);
    part.norms.refinedResidual = Math.max(part.norms.refinedResidual, Math.sqrt(sumOfSquares(rest)));
  }
  return part;
}

/** int8 codes of `values` at codes[to...] with one float32 scale; leaves in `values` what the codes miss. */
function quantise(values: Float64Array, codes: Int8Array, to: number): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  const scale = Math.fround(max > 0 ? max / 127 : 1);
  const inverse = 1 / scale;
  for (let k = 0; k < values.length; k++) {
    const code = Math.floor(values[k]! * inverse + 0.5);
    codes[to + k] = code;
    values[k] = values[k]! - scale * code;
  }
  return scale;
}

function sumOfSquares(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value * value;
  return sum;
}

/** float32 little-endian, the layout the table stores. */
function float32From(bytes: Buffer): Float32Array {
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
}

function bytesOfFloat32(values: Float32Array): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes;
}
