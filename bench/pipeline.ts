/**
 * Capacity planning needs the detector's real cost on the target machine: this keeps every worker of an
 * in-process extraction pool busy for a while and reports latency and throughput. Reused by the enrol benchmark.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { ExtractRequest } from '#contracts';
import type { BackendPreference } from '../apps/detector/src/backend';
import { ExtractionPool } from '../apps/detector/src/extraction/extraction-pool';

export interface PipelineBenchmarkOptions {
  workers: number;
  /** Encoded uploads, used round-robin. */
  images: Buffer[];
  /** Measured time, after one warm-up extraction per worker and image. */
  seconds: number;
  purpose?: ExtractRequest['purpose'];
  backend?: BackendPreference;
}

export interface PipelineBenchmarkResult {
  backend: string;
  workers: number;
  images: number;
  extractions: number;
  seconds: number;
  imagesPerSecond: number;
  /** Per extraction, submit to reply; with one request in flight per worker nothing waits in the queue. */
  latencyMs: { median: number; p90: number; max: number };
}

export async function measurePipeline(options: PipelineBenchmarkOptions): Promise<PipelineBenchmarkResult> {
  const { workers, images, seconds, purpose = 'detect', backend = 'auto' } = options;
  const pool = await ExtractionPool.start({ workers, backend });
  const extract = (image: Buffer) =>
    pool.extract({
      image: Buffer.from(image),
      detectionModel: 'detection_01',
      recognitionModel: 'recognition_01',
      purpose,
    });
  try {
    await Promise.all(Array.from({ length: workers }, () => Promise.all(images.map(extract))));
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const keepBusy = async (): Promise<void> => {
      while (performance.now() < deadline) {
        const submitted = performance.now();
        await extract(images[next++ % images.length]);
        latencies.push(performance.now() - submitted);
      }
    };
    await Promise.all(Array.from({ length: workers }, keepBusy));
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (fraction: number) =>
      round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * fraction))]);
    return {
      backend: pool.status().backend,
      workers,
      images: images.length,
      extractions: latencies.length,
      seconds: round(elapsed),
      imagesPerSecond: round(latencies.length / elapsed),
      latencyMs: { median: at(0.5), p90: at(0.9), max: round(latencies[latencies.length - 1]) },
    };
  } finally {
    await pool.close();
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** `node dist/bench/pipeline.js [seconds] [image...]`: 1 worker, then one per core, on the shared single-face photo. */
async function main(): Promise<void> {
  const [secondsArgument, ...files] = process.argv.slice(2);
  const repoRoot = path.resolve(__dirname, '../..');
  const paths = files.length > 0 ? files : [path.resolve(repoRoot, '../shared/testdata/faces/edge/single_face.jpg')];
  const images = paths.map((file) => readFileSync(file));
  const seconds = Number(secondsArgument ?? 20);
  for (const workers of new Set([1, availableParallelism()])) {
    console.log(JSON.stringify(await measurePipeline({ workers, images, seconds })));
  }
}

if (require.main === module) {
  void main();
}
