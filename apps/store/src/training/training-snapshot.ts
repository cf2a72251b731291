/**
 * A trained group in memory, searched by identify. Each face vector v is kept as two int8 rows: codes c with
 * scale a (v ≈ a·c) and the residual's codes r with scale b (v ≈ a·c + b·r, within about 1e-5 per
 * component). That is half the bytes of float32, and the search stays exact:
 *  1. a SIMD scan of the codes alone (a quarter of the float32 bytes) gives each person's best similarity
 *     within a bound B that is computed, not guessed (Cauchy-Schwarz on the residual norms);
 *  2. only persons that could still rank, by that bound, are re-scored with both stages.
 * Rows are grouped by person so each person's best similarity is one contiguous run of rows.
 */
import { kernelOver, scanRange, type ScanLayout, type SimilarityKernel } from './kernel/similarity-kernel';
import { ScanPool } from './kernel/scan-pool';

export interface RankedPerson {
  /** Index into `personIds`. */
  person: number;
  /** Best cosine similarity of the query with any face of the person, exact to about 1e-4. */
  similarity: number;
}

export interface Ranking {
  /** Best first, each at least `minSimilarity`. */
  persons: RankedPerson[];
  /** False when more persons pass `minSimilarity` than `limit` allowed returning. */
  complete: boolean;
}

interface Layout extends ScanLayout {
  residualCodes: number;
  residualScales: number;
  candidates: number;
  refined: number;
  total: number;
}

/** Snapshots below this many rows are scanned on the calling thread: a hand-off would cost more than it saves. */
const parallelFromRows = 32_768;
const queryScale = 32_767;
const pageBytes = 65_536;

export class TrainingSnapshot {
  readonly rows: number;
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: SimilarityKernel;
  private readonly layout: Layout;
  /** Largest norm over all rows of v, of the residual v − a·c, and of the second residual v − a·c − b·r. */
  private readonly norms: { row: number; residual: number; refinedResidual: number };
  /** One query at a time: the query and the per-person results have one place in the snapshot's memory. */
  private turn: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly version: number,
    readonly dimension: number,
    /** Distinct persons of the snapshot. */
    readonly personIds: string[],
    personIdOfRow: string[],
    matrix: Float32Array,
    private readonly pool: () => ScanPool,
  ) {
    this.rows = personIdOfRow.length;
    const persons = personIds.length;
    const dim = Math.ceil(dimension / 16) * 16;
    this.layout = layoutFor(this.rows, persons, dim);
    this.memory = new WebAssembly.Memory({
      initial: Math.ceil(this.layout.total / pageBytes),
      maximum: Math.ceil(this.layout.total / pageBytes),
      shared: true,
    });
    this.kernel = kernelOver(this.memory);
    this.norms = this.fill(personIdOfRow, matrix);
  }

  static fromRows(
    version: number,
    dimension: number,
    personIdOfRow: string[],
    matrix: Float32Array,
    pool: () => ScanPool = ScanPool.shared,
  ): TrainingSnapshot {
    if (matrix.length !== personIdOfRow.length * dimension) throw new Error('Matrix size does not match the rows');
    const personIds = [...new Set(personIdOfRow)];
    return new TrainingSnapshot(version, dimension, personIds, personIdOfRow, matrix, pool);
  }

  /** Bytes this snapshot holds: its shared memory and the person ids. */
  get bytes(): number {
    return this.memory.buffer.byteLength + this.personIds.length * 48;
  }

  /**
   * The persons whose best similarity with `query` is at least `minSimilarity`, best first, at most `limit`:
   * the same persons and order as comparing against every float32 vector.
   */
  rank(query: Float32Array, minSimilarity: number, limit: number): Promise<Ranking> {
    if (query.length !== this.dimension) {
      return Promise.reject(new Error(`Query has ${query.length} dimensions, not ${this.dimension}`));
    }
    const run = this.turn.then(() => this.rankNow(query, minSimilarity, limit));
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async rankNow(query: Float32Array, minSimilarity: number, limit: number): Promise<Ranking> {
    const { layout } = this;
    const persons = this.personIds.length;
    const { scale, errorNorm, norm } = this.writeQuery(query);
    if (this.rows >= parallelFromRows) await this.pool().scan(this.memory, layout, persons);
    else scanRange(this.kernel, layout, 0, persons);

    // Each score is off the exact x·v by at most |x|·|residual| + |x − scale·q|·|v − residual|, so stage 1 and
    // the refined score differ by at most `gap` (plus float rounding).
    const { row, residual, refinedResidual } = this.norms;
    const gap = norm * (residual + refinedResidual) + errorNorm * (2 * row + residual + refinedResidual) + 1e-6;
    const slack = 2 * gap;
    const best = new Float32Array(this.memory.buffer, layout.best, persons);
    const candidates = new Int32Array(this.memory.buffer, layout.candidates, persons);
    const floor = (minSimilarity - gap) / scale;
    let count = 0;
    for (let p = 0; p < persons; p++) if (best[p]! >= floor) candidates[count++] = p;

    // Beyond `limit` candidates, only those within 2B of the limit-th best stage-1 score can still rank.
    let complete = true;
    if (count > limit) {
      complete = false;
      const cutoff = kthLargest(candidates.subarray(0, count), best, limit) - slack / scale;
      let kept = 0;
      for (let i = 0; i < count; i++) if (best[candidates[i]!]! >= cutoff) candidates[kept++] = candidates[i]!;
      count = kept;
    }
    this.kernel.refine(
      layout.codes,
      layout.scales,
      layout.residualCodes,
      layout.residualScales,
      layout.starts,
      layout.query,
      layout.candidates,
      count,
      layout.refined,
      layout.dim,
    );
    const refined = new Float32Array(this.memory.buffer, layout.refined, count);
    const ranked: RankedPerson[] = [];
    for (let i = 0; i < count; i++) {
      const similarity = refined[i]! * scale;
      if (similarity >= minSimilarity) ranked.push({ person: candidates[i]!, similarity });
    }
    ranked.sort((a, b) => b.similarity - a.similarity || a.person - b.person);
    if (ranked.length > limit) complete = false;
    return { persons: ranked.slice(0, limit), complete };
  }

  /** Writes the query as int16 codes; returns their scale, the norm of what the codes miss, and the norm. */
  private writeQuery(query: Float32Array): { scale: number; errorNorm: number; norm: number } {
    const { dim } = this.layout;
    let max = 0;
    let norm = 0;
    for (const value of query) {
      max = Math.max(max, Math.abs(value));
      norm += value * value;
    }
    const scale = max > 0 ? max / queryScale : 1;
    const codes = new Int16Array(this.memory.buffer, this.layout.query, dim).fill(0);
    let error = 0;
    for (let k = 0; k < query.length; k++) {
      codes[k] = Math.round(query[k]! / scale);
      error += (query[k]! - codes[k]! * scale) ** 2;
    }
    return { scale, errorNorm: Math.sqrt(error), norm: Math.sqrt(norm) };
  }

  /** Quantises every row into the memory, grouped by person; returns the largest residual norms. */
  private fill(personIdOfRow: string[], matrix: Float32Array): TrainingSnapshot['norms'] {
    const { layout, dimension } = this;
    const { dim } = layout;
    const buffer = this.memory.buffer;
    const index = new Map(this.personIds.map((id, i) => [id, i]));
    const starts = new Int32Array(buffer, layout.starts, this.personIds.length + 1);
    const rowPerson = Int32Array.from(personIdOfRow, (id) => index.get(id)!);
    for (const person of rowPerson) starts[person + 1]!++;
    for (let p = 0; p < this.personIds.length; p++) starts[p + 1]! += starts[p]!;
    const next = starts.slice(0, this.personIds.length);

    const codes = new Int8Array(buffer, layout.codes, this.rows * dim);
    const residualCodes = new Int8Array(buffer, layout.residualCodes, this.rows * dim);
    const scales = new Float32Array(buffer, layout.scales, this.rows);
    const residualScales = new Float32Array(buffer, layout.residualScales, this.rows);
    const rest = new Float64Array(dimension);
    let rowNorm = 0;
    let residualNorm = 0;
    let refinedResidualNorm = 0;
    for (let row = 0; row < this.rows; row++) {
      const at = next[rowPerson[row]!]!++;
      let rowSum = 0;
      for (let k = 0; k < dimension; k++) {
        rest[k] = matrix[row * dimension + k]!;
        rowSum += rest[k]! * rest[k]!;
      }
      // Stage 1 codes the vector, stage 2 what stage 1 missed; `rest` is left with what both missed.
      scales[at] = quantise(rest, codes, at * dim);
      const residualSum = sumOfSquares(rest);
      residualScales[at] = quantise(rest, residualCodes, at * dim);
      rowNorm = Math.max(rowNorm, Math.sqrt(rowSum));
      residualNorm = Math.max(residualNorm, Math.sqrt(residualSum));
      refinedResidualNorm = Math.max(refinedResidualNorm, Math.sqrt(sumOfSquares(rest)));
    }
    return { row: rowNorm, residual: residualNorm, refinedResidual: refinedResidualNorm };
  }
}

/**
 * Writes `values` as int8 codes at codes[to...] with one scale (the largest magnitude maps to 127), leaves in
 * `values` what the codes miss, and returns the scale. Indexed loops, a multiplication by the inverse,
 * floor(x + 0.5) and comparisons rather than Math.round and Math.max (several times slower in V8): this runs
 * for every component of every face when a snapshot loads.
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

function layoutFor(rows: number, persons: number, dim: number): Layout {
  let offset = 0;
  const take = (bytes: number) => {
    const at = offset;
    offset += Math.ceil(bytes / 16) * 16;
    return at;
  };
  const layout = {
    dim,
    codes: take(rows * dim),
    residualCodes: take(rows * dim),
    scales: take(rows * 4),
    residualScales: take(rows * 4),
    starts: take((persons + 1) * 4),
    query: take(dim * 2),
    best: take(persons * 4),
    candidates: take(persons * 4),
    refined: take(persons * 4),
  };
  return { ...layout, total: Math.max(offset, pageBytes) };
}

/** The k-th largest score among the listed persons (k ≤ list length), by a min-heap of the k best. */
function kthLargest(list: Int32Array, scores: Float32Array, k: number): number {
  const heap = new Float32Array(k);
  let size = 0;
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && heap[l]! < heap[m]!) m = l;
      if (r < size && heap[r]! < heap[m]!) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (const person of list) {
    const score = scores[person]!;
    if (size < k) {
      let i = size++;
      heap[i] = score;
      while (i > 0 && heap[(i - 1) >> 1]! > heap[i]!) {
        const parent = (i - 1) >> 1;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (score > heap[0]!) {
      heap[0] = score;
      siftDown(0);
    }
  }
  return heap[0]!;
}
