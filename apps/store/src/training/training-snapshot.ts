/**
 * A trained group in memory: every face vector as one contiguous row-major matrix, with the person of each
 * row. Identify scans it; store processes keep the latest snapshot of the groups they serve.
 */
export class TrainingSnapshot {
  readonly rows: number;

  constructor(
    readonly version: number,
    readonly dimension: number,
    /** Distinct persons of the snapshot. */
    readonly personIds: string[],
    /** For each row, the index of its person in `personIds`. */
    readonly rowPerson: Int32Array,
    readonly matrix: Float32Array,
  ) {
    this.rows = rowPerson.length;
  }

  static fromRows(version: number, dimension: number, personIdOfRow: string[], matrix: Float32Array): TrainingSnapshot {
    const index = new Map<string, number>();
    const rowPerson = new Int32Array(personIdOfRow.length);
    personIdOfRow.forEach((personId, row) => {
      let i = index.get(personId);
      if (i === undefined) index.set(personId, (i = index.size));
      rowPerson[row] = i;
    });
    return new TrainingSnapshot(version, dimension, [...index.keys()], rowPerson, matrix);
  }

  /** Best similarity (dot product of unit vectors) of the query with any face of each person. */
  bestSimilarityPerPerson(query: Float32Array): Float32Array {
    if (query.length !== this.dimension) throw new Error(`Query has ${query.length} dimensions, not ${this.dimension}`);
    const best = new Float32Array(this.personIds.length).fill(-Infinity);
    const d = this.dimension;
    const m = this.matrix;
    for (let row = 0, offset = 0; row < this.rows; row++, offset += d) {
      let sum = 0;
      for (let k = 0; k < d; k++) sum += m[offset + k]! * query[k]!;
      const person = this.rowPerson[row]!;
      if (sum > best[person]!) best[person] = sum;
    }
    return best;
  }

  get bytes(): number {
    return this.matrix.byteLength + this.rowPerson.byteLength + this.personIds.length * 48;
  }
}
