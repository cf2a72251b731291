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

/** One stage-1 scan of `count` queries over persons [from, to), as a scan thread receives it. */
export interface ScanJob {
  id: number;
  memory: WebAssembly.Memory;
  layout: ScanLayout;
  count: number;
  from: number;
  to: number;
}

export function scanRange(kernel: SimilarityKernel, layout: ScanLayout, count: number, from: number, to: number) {
  const { codes, scales, starts, queries, best, persons, dim } = layout;
  const scan = layout.rowPerPerson ? kernel.scanEntries : kernel.scan;
  scan(codes, scales, starts, queries, count, best, persons, from, to, dim);
}
