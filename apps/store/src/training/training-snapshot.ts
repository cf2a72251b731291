/**
 * A trained group in memory, searched by identify. Each face vector v is kept as two int8 rows (encoded at
 * training, snapshot-encoding.ts): codes c with scale a (v ≈ a·c) and the residual's codes r with scale b
 * (v ≈ a·c + b·r, within about 1e-5 per component). That is half the bytes of float32, and the search stays
 * exact:
 *  1. a SIMD scan of the codes alone (a quarter of the float32 bytes) gives each person's best similarity
 *     within a bound B that is computed, not guessed (Cauchy-Schwarz on the residual norms);
 *  2. only persons that could still rank, by that bound, are re-scored with both stages.
 * Rows are grouped by person so each person's best similarity is one contiguous run of rows.
 */
import { kernelOver, scanRange, type ScanLayout, type SimilarityKernel } from './kernel/similarity-kernel';
import { ScanPool } from './kernel/scan-pool';
import { encodeRows, type SnapshotNorms, type SnapshotPart } from './snapshot-encoding';

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

interface PendingQuery {
  query: Float32Array;
  minSimilarity: number;
  limit: number;
  resolve: (ranking: Ranking) => void;
  reject: (error: Error) => void;
}

interface WrittenQuery {
  scale: number;
  errorNorm: number;
  norm: number;
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
/** Queries scanned together at most: identify's 10 faces, or waiting queries of several requests. */
export const maxQueriesPerScan = 10;
const pageBytes = 65_536;
/** Scores sampled to guess the threshold of the limit-th best, in snapshots of four times as many persons or more. */
const scoreSample = 4_096;
/** Persons collected above a threshold that are ranked on the spot; more, and a sampled threshold is tried. */
const maxCollected = (limit: number) => 64 * limit + 4_096;
/** Neighbouring scores sampled together: a run shares cache lines. */
export const sampleRun = 64;

export class TrainingSnapshot {
  readonly rows: number;
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: SimilarityKernel;
  private readonly layout: Layout;
  /** Largest norm over all rows of v, of the residual v − a·c, and of the second residual v − a·c − b·r. */
  private readonly norms: SnapshotNorms;
  /**
   * One scan at a time (its queries and per-person results have one place in the snapshot's memory). Queries
   * that arrive while one runs wait here and share the next scan, up to `maxQueriesPerScan`.
   */
  private readonly waiting: PendingQuery[] = [];
  private scanning = false;

  /** Distinct persons of the snapshot. */
  readonly personIds: string[];

  private constructor(
    readonly version: number,
    readonly dimension: number,
    parts: readonly SnapshotPart[],
    private readonly pool: () => ScanPool,
  ) {
    this.personIds = parts.flatMap((part) => part.personIds);
    this.rows = rowsOf(parts);
    const dim = Math.ceil(dimension / 16) * 16;
    const rowPerPerson = parts.every((part) => part.faceCounts.every((count) => count === 1));
    this.layout = layoutFor(this.rows, this.personIds.length, dim, rowPerPerson);
    this.memory = new WebAssembly.Memory({
      initial: Math.ceil(this.layout.total / pageBytes),
      maximum: Math.ceil(this.layout.total / pageBytes),
      shared: true,
    });
    this.kernel = kernelOver(this.memory);
    this.norms = this.copy(parts);
  }

  /** A snapshot of the parts training stored, in their order. */
  static fromParts(version: number, parts: readonly SnapshotPart[], pool: () => ScanPool = ScanPool.shared) {
    const rows = rowsOf(parts);
    const dimension = rows > 0 ? parts.reduce((sum, part) => sum + part.codes.length, 0) / rows : 0;
    return new TrainingSnapshot(version, dimension, parts, pool);
  }

  /** Encodes rows in any order (persons in order of first appearance): for tests and benchmarks. */
  static fromRows(
    version: number,
    dimension: number,
    personIdOfRow: string[],
    matrix: Float32Array,
    pool: () => ScanPool = ScanPool.shared,
  ): TrainingSnapshot {
    return new TrainingSnapshot(version, dimension, encodeRows(dimension, personIdOfRow, matrix), pool);
  }

  /** Bytes this snapshot holds: its shared memory and the person ids. */
  get bytes(): number {
    return this.memory.buffer.byteLength + this.personIds.length * 48;
  }

  /** Called when the snapshot is dropped: the scan threads let go of its memory, so that it can be freed. */
  release(): void {
    if (this.rows >= parallelFromRows) this.pool().release(this.memory);
  }

  /**
   * The persons whose best similarity with `query` is at least `minSimilarity`, best first, at most `limit`:
   * the same persons and order as comparing against every float32 vector.
   */
  async rank(query: Float32Array, minSimilarity: number, limit: number): Promise<Ranking> {
    const [ranking] = await this.rankAll([query], minSimilarity, limit);
    return ranking!;
  }

  /** `rank` for several queries; up to `maxQueriesPerScan` of them share one pass over the snapshot. */
  rankAll(queries: readonly Float32Array[], minSimilarity: number, limit: number): Promise<Ranking[]> {
    const wrong = queries.find((query) => query.length !== this.dimension);
    if (wrong) return Promise.reject(new Error(`Query has ${wrong.length} dimensions, not ${this.dimension}`));
    const rankings = queries.map(
      (query) =>
        new Promise<Ranking>((resolve, reject) => this.waiting.push({ query, minSimilarity, limit, resolve, reject })),
    );
    if (!this.scanning) {
      this.scanning = true;
      // After the current task, so that every query of this call (and of others in the same tick) is waiting.
      queueMicrotask(() => void this.scanWaiting());
    }
    return Promise.all(rankings);
  }

  private async scanWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, maxQueriesPerScan);
      try {
        const rankings = await this.rankNow(batch);
        batch.forEach((pending, i) => pending.resolve(rankings[i]!));
      } catch (error) {
        for (const pending of batch) pending.reject(error as Error);
      }
    }
    this.scanning = false;
  }

  private async rankNow(batch: readonly PendingQuery[]): Promise<Ranking[]> {
    const { layout } = this;
    const written = batch.map(({ query }, q) => this.writeQuery(query, q));
    if (this.rows >= parallelFromRows) await this.pool().scan(this.memory, layout, batch.length);
    else scanRange(this.kernel, layout, batch.length, 0, layout.persons);
    return written.map((query, q) => this.refine(q, query, batch[q]!.minSimilarity, batch[q]!.limit));
  }

  /** Stage 2 for query q, whose stage-1 scores the scan left in row q of `best`. */
  private refine(q: number, query: WrittenQuery, minSimilarity: number, limit: number): Ranking {
    const { layout } = this;
    const { persons } = layout;
    const { scale, errorNorm, norm } = query;
    // Each score is off the exact x·v by at most |x|·|residual| + |x − scale·q|·|v − residual|, so stage 1 and
    // the refined score differ by at most `gap` (plus float rounding).
    const { row, residual, refinedResidual } = this.norms;
    const gap = norm * (residual + refinedResidual) + errorNorm * (2 * row + residual + refinedResidual) + 1e-6;
    const slack = 2 * gap;
    const bestAt = layout.best + q * persons * 4;
    const selected = this.selectCandidates(bestAt, (minSimilarity - gap) / scale, slack / scale, limit);
    const count = selected.count;
    let complete = selected.complete;
    this.kernel.refine(
      layout.codes,
      layout.scales,
      layout.residualCodes,
      layout.residualScales,
      layout.starts,
      layout.queries + q * layout.dim * 2,
      layout.candidates,
      count,
      layout.refined,
      layout.dim,
    );
    const refined = new Float32Array(this.memory.buffer, layout.refined, count);
    const candidates = new Int32Array(this.memory.buffer, layout.candidates, count);
    const ranked: RankedPerson[] = [];
    for (let i = 0; i < count; i++) {
      const similarity = refined[i]! * scale;
      if (similarity >= minSimilarity) ranked.push({ person: candidates[i]!, similarity });
    }
    ranked.sort((a, b) => b.similarity - a.similarity || a.person - b.person);
    if (ranked.length > limit) complete = false;
    return { persons: ranked.slice(0, limit), complete };
  }

  /**
   * Lists in `candidates` the persons whose stage-1 score (in `best` at `bestAt`) reaches `floor`, when no more
   * than `limit` do (complete); else only those within `slack` of the limit-th best score, as only they can still
   * rank. The kernel collects the scores above a threshold guessed from a sample, so that a large face list's
   * million scores are never sorted; a guess that turns out too high is taken lower, down to `floor`.
   */
  private selectCandidates(
    bestAt: number,
    floor: number,
    slack: number,
    limit: number,
  ): { count: number; complete: boolean } {
    const { persons } = this.layout;
    const best = new Float32Array(this.memory.buffer, bestAt, persons);
    const candidates = new Int32Array(this.memory.buffer, this.layout.candidates, persons);
    for (const guess of this.thresholdGuesses(best, limit, floor)) {
      const lower = Math.max(floor, guess - slack);
      const count = this.kernel.collect(bestAt, persons, lower, this.layout.candidates);
      if (count <= limit) {
        if (lower === floor) return { count, complete: true };
        continue;
      }
      // Too many to rank here: a sampled threshold collects fewer.
      if (count > maxCollected(limit) && guess > -Infinity) continue;
      const top = new TopScores(limit);
      for (let i = 0; i < count; i++) top.offer(best[candidates[i]!]!);
      const cutoff = Math.max(floor, top.lowest() - slack);
      // Persons between the cutoff and the guess's threshold were not collected: guess lower.
      if (cutoff < lower) continue;
      let kept = 0;
      for (let i = 0; i < count; i++) {
        const person = candidates[i]!;
        if (best[person]! >= cutoff) candidates[kept++] = person;
      }
      return { count: kept, complete: false };
    }
    throw new Error('unreachable: the last guess collects every person at or above the floor');
  }

  /**
   * The thresholds to collect above, in turn: the floor itself first when there is one (identify's threshold
   * leaves few persons above it, and then no sample is needed); then thresholds above which some multiple of
   * `limit` scores are expected, read off a sample of the scores (runs of neighbours spread over all of them: a
   * few cache lines each); last -Infinity, which collects every score.
   */
  private *thresholdGuesses(best: Float32Array, limit: number, floor: number): Generator<number> {
    if (floor > -Infinity) yield floor;
    if (best.length >= 4 * scoreSample) {
      const sample = new Float32Array(scoreSample);
      sampledRuns(best.length).forEach((from, run) =>
        sample.set(best.subarray(from, from + sampleRun), run * sampleRun),
      );
      sample.sort();
      for (const above of [4 * limit + 16, 64 * limit + 256]) {
        const rank = Math.floor((above * sample.length) / best.length);
        if (rank < sample.length) yield sample[sample.length - 1 - rank]!;
      }
    }
    yield -Infinity;
  }

  /** Writes query q as int16 codes; returns their scale, the norm of what the codes miss, and the norm. */
  private writeQuery(query: Float32Array, q: number): WrittenQuery {
    const { dim } = this.layout;
    let max = 0;
    let norm = 0;
    for (const value of query) {
      max = Math.max(max, Math.abs(value));
      norm += value * value;
    }
    const scale = max > 0 ? max / queryScale : 1;
    const codes = new Int16Array(this.memory.buffer, this.layout.queries + q * dim * 2, dim).fill(0);
    let error = 0;
    for (let k = 0; k < query.length; k++) {
      codes[k] = Math.round(query[k]! / scale);
      error += (query[k]! - codes[k]! * scale) ** 2;
    }
    return { scale, errorNorm: Math.sqrt(error), norm: Math.sqrt(norm) };
  }

  /** Copies the parts' rows into the memory (each row padded to the kernel's width); returns the overall norms. */
  private copy(parts: readonly SnapshotPart[]): SnapshotNorms {
    const { layout, dimension } = this;
    const { dim } = layout;
    const buffer = this.memory.buffer;
    const codes = new Int8Array(buffer, layout.codes, this.rows * dim);
    const residualCodes = new Int8Array(buffer, layout.residualCodes, this.rows * dim);
    const scales = new Float32Array(buffer, layout.scales, this.rows);
    const residualScales = new Float32Array(buffer, layout.residualScales, this.rows);
    const starts = new Int32Array(buffer, layout.starts, this.personIds.length + 1);
    const norms: SnapshotNorms = { row: 0, residual: 0, refinedResidual: 0 };
    let row = 0;
    let person = 0;
    for (const part of parts) {
      const partRows = part.scales.length;
      if (dim === dimension) {
        codes.set(part.codes, row * dim);
        residualCodes.set(part.residualCodes, row * dim);
      } else {
        for (let r = 0; r < partRows; r++) {
          codes.set(part.codes.subarray(r * dimension, (r + 1) * dimension), (row + r) * dim);
          residualCodes.set(part.residualCodes.subarray(r * dimension, (r + 1) * dimension), (row + r) * dim);
        }
      }
      scales.set(part.scales, row);
      residualScales.set(part.residualScales, row);
      for (const count of part.faceCounts) {
        starts[person + 1] = starts[person]! + count;
        person++;
      }
      row += partRows;
      norms.row = Math.max(norms.row, part.norms.row);
      norms.residual = Math.max(norms.residual, part.norms.residual);
      norms.refinedResidual = Math.max(norms.refinedResidual, part.norms.refinedResidual);
    }
    return norms;
  }
}

/** Where the sample of scores starts its runs of `sampleRun` neighbours, spread evenly over `length` scores. */
export function sampledRuns(length: number): number[] {
  const runs = scoreSample / sampleRun;
  return Array.from({ length: runs }, (_, run) => Math.floor((run * (length - sampleRun)) / (runs - 1)));
}

function rowsOf(parts: readonly SnapshotPart[]): number {
  return parts.reduce((sum, part) => sum + part.scales.length, 0);
}

function layoutFor(rows: number, persons: number, dim: number, rowPerPerson: boolean): Layout {
  let offset = 0;
  const take = (bytes: number) => {
    const at = offset;
    offset += Math.ceil(bytes / 16) * 16;
    return at;
  };
  const layout = {
    dim,
    persons,
    rowPerPerson,
    codes: take(rows * dim),
    residualCodes: take(rows * dim),
    scales: take(rows * 4),
    residualScales: take(rows * 4),
    starts: take((persons + 1) * 4),
    queries: take(maxQueriesPerScan * dim * 2),
    best: take(maxQueriesPerScan * persons * 4),
    candidates: take(persons * 4),
    refined: take(persons * 4),
  };
  return { ...layout, total: Math.max(offset, pageBytes) };
}

/** The `k` largest scores offered, in a min-heap: `lowest` is the k-th largest once k were offered. */
class TopScores {
  private readonly heap: Float32Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.heap = new Float32Array(k);
  }

  offer(score: number): void {
    const heap = this.heap;
    if (this.size < this.k) {
      let i = this.size++;
      heap[i] = score;
      while (i > 0 && heap[(i - 1) >> 1]! > heap[i]!) {
        const parent = (i - 1) >> 1;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (score > heap[0]!) {
      heap[0] = score;
      this.siftDown();
    }
  }

  lowest(): number {
    return this.heap[0]!;
  }

  private siftDown(): void {
    const heap = this.heap;
    const size = this.size;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && heap[l]! < heap[m]!) m = l;
      if (r < size && heap[r]! < heap[m]!) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
}
