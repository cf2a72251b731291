/**
 * Training encodes a group's face vectors once into the form identify searches (training-snapshot.ts), and
 * stores that: a store loading the snapshot copies bytes instead of quantising a million vectors again.
 * Each vector v becomes two int8 rows: codes c with scale a (v ≈ a·c) and the residual's codes r with scale b
 * (v ≈ a·c + b·r). Rows come grouped by person, and a part never splits a person.
 */

/** Consecutive persons of a snapshot with all their rows. */
export interface SnapshotPart {
  /** Distinct, in row order. */
  personIds: string[];
  /** Rows of each person, in the order of `personIds`. */
  faceCounts: Int32Array;
  /** rows × dimension codes, row after row. */
  codes: Int8Array;
  residualCodes: Int8Array;
  scales: Float32Array;
  residualScales: Float32Array;
  /** Largest norm, over the part's rows, of v, of v − a·c and of v − a·c − b·r: the search's error bounds. */
  norms: SnapshotNorms;
}

export interface SnapshotNorms {
  row: number;
  residual: number;
  refinedResidual: number;
}

/** Rows per stored part: a few MB of codes, one database row. */
export const snapshotPartRows = 20_000;

/** Collects rows grouped by person into parts of about `partRows` rows. */
export class SnapshotEncoder {
  private personIds: string[] = [];
  private faceCounts: number[] = [];
  private rows = 0;
  private capacity = 0;
  private codes = new Int8Array(0);
  private residualCodes = new Int8Array(0);
  private scales = new Float32Array(0);
  private residualScales = new Float32Array(0);
  private norms: SnapshotNorms = { row: 0, residual: 0, refinedResidual: 0 };
  private readonly rest: Float64Array;

  constructor(
    readonly dimension: number,
    private readonly partRows: number,
  ) {
    this.rest = new Float64Array(dimension);
  }

  /**
   * Adds one face; rows of a person must be consecutive. Returns the finished part when this face starts a
   * new person and the part already holds `partRows` rows.
   */
  add(personId: string, vector: Float32Array): SnapshotPart | undefined {
    if (vector.length !== this.dimension)
      throw new Error(`Face has ${vector.length} dimensions, not ${this.dimension}`);
    const newPerson = this.personIds[this.personIds.length - 1] !== personId;
    const finished = newPerson && this.rows >= this.partRows ? this.finish() : undefined;
    if (newPerson) {
      this.personIds.push(personId);
      this.faceCounts.push(0);
    }
    this.faceCounts[this.faceCounts.length - 1]!++;
    this.encode(vector);
    return finished;
  }

  /** The part being filled, if it has any row; the encoder starts a new one. */
  finish(): SnapshotPart | undefined {
    if (this.rows === 0) return undefined;
    const { rows, dimension } = this;
    const part: SnapshotPart = {
      personIds: this.personIds,
      faceCounts: Int32Array.from(this.faceCounts),
      codes: this.codes.slice(0, rows * dimension),
      residualCodes: this.residualCodes.slice(0, rows * dimension),
      scales: this.scales.slice(0, rows),
      residualScales: this.residualScales.slice(0, rows),
      norms: this.norms,
    };
    this.personIds = [];
    this.faceCounts = [];
    this.rows = 0;
    this.norms = { row: 0, residual: 0, refinedResidual: 0 };
    return part;
  }

  private encode(vector: Float32Array): void {
    if (this.rows === this.capacity) this.grow();
    const { rest, dimension, rows: row } = this;
    let rowSum = 0;
    for (let k = 0; k < dimension; k++) {
      rest[k] = vector[k]!;
      rowSum += rest[k]! * rest[k]!;
    }
    // Stage 1 codes the vector, stage 2 what stage 1 missed; `rest` is left with what both missed.
    this.scales[row] = quantise(rest, this.codes, row * dimension);
    const residualSum = sumOfSquares(rest);
    this.residualScales[row] = quantise(rest, this.residualCodes, row * dimension);
    const norms = this.norms;
    norms.row = Math.max(norms.row, Math.sqrt(rowSum));
    norms.residual = Math.max(norms.residual, Math.sqrt(residualSum));
    norms.refinedResidual = Math.max(norms.refinedResidual, Math.sqrt(sumOfSquares(rest)));
    this.rows++;
  }

  private grow(): void {
    this.capacity = Math.max(1024, this.capacity * 2);
    const resized = <T extends Int8Array | Float32Array>(old: T, make: (length: number) => T, perRow: number) => {
      const grown = make(this.capacity * perRow);
      grown.set(old);
      return grown;
    };
    this.codes = resized(this.codes, (n) => new Int8Array(n), this.dimension);
    this.residualCodes = resized(this.residualCodes, (n) => new Int8Array(n), this.dimension);
    this.scales = resized(this.scales, (n) => new Float32Array(n), 1);
    this.residualScales = resized(this.residualScales, (n) => new Float32Array(n), 1);
  }
}

/** Encodes rows in any order: they are grouped by person (persons in order of first appearance) first. */
export function encodeRows(
  dimension: number,
  personIdOfRow: readonly string[],
  matrix: Float32Array,
  partRows = Number.POSITIVE_INFINITY,
): SnapshotPart[] {
  if (matrix.length !== personIdOfRow.length * dimension) throw new Error('Matrix size does not match the rows');
  const rowsOfPerson = new Map<string, number[]>();
  personIdOfRow.forEach((personId, row) => {
    const rows = rowsOfPerson.get(personId);
    if (rows) rows.push(row);
    else rowsOfPerson.set(personId, [row]);
  });
  const encoder = new SnapshotEncoder(dimension, partRows);
  const parts: SnapshotPart[] = [];
  for (const [personId, rows] of rowsOfPerson) {
    for (const row of rows) {
      const finished = encoder.add(personId, matrix.subarray(row * dimension, (row + 1) * dimension));
      if (finished) parts.push(finished);
    }
  }
  const last = encoder.finish();
  return last ? [...parts, last] : parts;
}

/**
 * Writes `values` as int8 codes at codes[to...] with one scale (the largest magnitude maps to 127), leaves in
 * `values` what the codes miss, and returns the scale. Indexed loops, a multiplication by the inverse,
 * floor(x + 0.5) and comparisons rather than Math.round and Math.max (several times slower in V8): this runs
 * for every component of every face of a training.
 */
function quantise(values: Float64Array, codes: Int8Array, to: number): number {
  let max = 0;
  for (let k = 0; k < values.length; k++) {
    const magnitude = values[k]! < 0 ? -values[k]! : values[k]!;
    if (magnitude > max) max = magnitude;
  }
  const scale = Math.fround(max > 0 ? max / 127 : 1); // stored as float32: the residual is taken against that
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
  for (let k = 0; k < values.length; k++) sum += values[k]! * values[k]!;
  return sum;
}
