/**
 * The similarity kernel (similarity-scan.wat): compiled once per thread when this module loads, instantiated
 * over each snapshot's shared memory. Plain JavaScript does one multiply-add at a time; the kernel's SIMD does sixteen per step.
 */
import { similarityScanWasm } from './similarity-scan.wasm';

export interface SimilarityKernel {
  /** Stage 1 for persons [from, to): best[person] = max over rows of dot(codes[row], query) * scales[row]. */
  scan(
    codes: number,
    scales: number,
    starts: number,
    query: number,
    best: number,
    from: number,
    to: number,
    dim: number,
  ): void;
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
  query: number;
  best: number;
  dim: number;
}

/** One stage-1 scan over persons [from, to), as a scan thread receives it. */
export interface ScanJob {
  id: number;
  memory: WebAssembly.Memory;
  layout: ScanLayout;
  from: number;
  to: number;
}

export function scanRange(kernel: SimilarityKernel, layout: ScanLayout, from: number, to: number): void {
  kernel.scan(layout.codes, layout.scales, layout.starts, layout.query, layout.best, from, to, layout.dim);
}
