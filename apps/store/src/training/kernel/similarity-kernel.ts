/**
 * The similarity kernel (similarity-scan.wat): compiled once per thread when this module loads, instantiated
 * over each snapshot's shared memory. Plain JavaScript does one multiply-add at a time; the kernel's SIMD does sixteen per step.
 */
import { similarityScanWasm } from './similarity-scan.wasm';

/** A stage-1 scan of persons [from, to) for `count` queries (int16, `dim` apart from `queries`). */
type StageOneScan = (
  codes: number,
  scales: number,
  starts: number,
  queries: number,
  count: number,
  best: number,
  persons: number,
  from: number,
  to: number,
  dim: number,
) => void;

export interface SimilarityKernel {
  /** best[q * persons + person] = max over the person's rows of dot(codes[row], query q) * scales[row]. */
  scan: StageOneScan;
  /**
   * `scan` where every person has exactly one row (row p is person p's), as in a large face list:
   * best[q * persons + p] = dot(codes[p], query q) * scales[p]. Ignores `starts`.
   */
  scanEntries: StageOneScan;
  /** Stage 2 for `count` listed persons: best[i] = max over rows of the two-stage score. */
  refine(
    codes: number,
    scales: number,
    residualCodes: number,
    residualScales: number,
    starts: number,
    query: number,
    persons: number,
    count: number,
    best: number,
    dim: number,
  ): void;
  /** Writes the indices p < count with scores[p] >= threshold to out, in order; returns how many. */
  collect(scores: number, count: number, threshold: number, out: number): number;
}

const similarityScanModule = new WebAssembly.Module(similarityScanWasm);

export function kernelOver(memory: WebAssembly.Memory): SimilarityKernel {
  return new WebAssembly.Instance(similarityScanModule, { env: { memory } }).exports as unknown as SimilarityKernel;
}

/** Where a snapshot's stage-1 arrays lie in its memory (byte offsets), and the padded dimension. */
export interface ScanLayout {
  codes: number;
  scales: number;
  starts: number;
  /** Up to `maxQueries` int16 queries, `dim` values each. */
  queries: number;
  /** A row of `persons` float32 per query. */
  best: number;
  persons: number;
  /** Every person has exactly one row, as the faces of a large face list: no person's best to keep. */
  rowPerPerson: boolean;
  dim: number;
}

/** One stage-1 scan of `count` queries over all persons, cut into `ranges`, as each scan thread receives it. */
export interface ScanJob {
  id: number;
  memoryId: number;
  /** Sent with a thread's first job over this memory only. */
  memory?: WebAssembly.Memory;
  layout: ScanLayout;
  count: number;
  ranges: number;
  /** [0]: the next range to claim; [1]: ranges done. */
  claims: Int32Array;
}

export function scanRange(kernel: SimilarityKernel, layout: ScanLayout, count: number, from: number, to: number) {
  const { codes, scales, starts, queries, best, persons, dim } = layout;
  const scan = layout.rowPerPerson ? kernel.scanEntries : kernel.scan;
  scan(codes, scales, starts, queries, count, best, persons, from, to, dim);
}

/** Scans the job's ranges this thread claims until none is left; true when it finished the job's last one. */
export function scanClaimedRanges(kernel: SimilarityKernel, job: ScanJob): boolean {
  const { layout, count, ranges, claims } = job;
  const startOf = (range: number) => Math.floor((layout.persons * range) / ranges);
  let finishedLast = false;
  for (let range = Atomics.add(claims, 0, 1); range < ranges; range = Atomics.add(claims, 0, 1)) {
    scanRange(kernel, layout, count, startOf(range), startOf(range + 1));
    finishedLast = Atomics.add(claims, 1, 1) === ranges - 1;
  }
  return finishedLast;
}
