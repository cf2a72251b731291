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
    const q = query;
    // Four rows at a time, each with its own accumulator: fewer loop checks and independent additions keep the
    // CPU's pipelines busy (V8 does not vectorise this loop by itself).
    let row = 0;
    for (; row + 4 <= this.rows; row += 4) {
      const o0 = row * d;
      const o1 = o0 + d;
      const o2 = o1 + d;
      const o3 = o2 + d;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < d; k++) {
        const x = q[k]!;
        s0 += m[o0 + k]! * x;
        s1 += m[o1 + k]! * x;
        s2 += m[o2 + k]! * x;
        s3 += m[o3 + k]! * x;
      }
      this.keepBest(best, row, s0);
      this.keepBest(best, row + 1, s1);
      this.keepBest(best, row + 2, s2);
      this.keepBest(best, row + 3, s3);
    }
    for (; row < this.rows; row++) {
      let sum = 0;
      for (let k = 0, o = row * d; k < d; k++) sum += m[o + k]! * q[k]!;
      this.keepBest(best, row, sum);
    }
    return best;
  }

  private keepBest(best: Float32Array, row: number, similarity: number): void {
    const person = this.rowPerson[row]!;
    if (similarity > best[person]!) best[person] = similarity;
  }

  get bytes(): number {
    return this.matrix.byteLength + this.rowPerson.byteLength + this.personIds.length * 48;
  }
}
