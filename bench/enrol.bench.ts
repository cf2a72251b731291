/**
 * `npm run bench:enrol`: add-face throughput and latency through the running stack (gateway → RabbitMQ →
 * detector → store → Postgres) at concurrency 1, 4 and 16 over 16 persons, against the bare in-process
 * pipeline with the same models and worker count. Writes bench/results/enrol.json (enrol-standalone.json with
 * VISAGE_TEST_MODE=standalone: the one process).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { EnvelopeApi } from '../test/support/api';
import { facesDir, Stack, testMode } from '../test/support/stack';
import { measurePipeline, type PipelineBenchmarkResult } from './pipeline';
import { writeBenchResult } from './bench-results';
import { handlerMs } from './server-timing';

const workers = Number(process.env.DETECTOR_WORKERS ?? availableParallelism());
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const concurrencies = [1, 4, 16];
const personCount = 16;
const latencyRounds = Number(process.env.BENCH_LATENCY_ROUNDS ?? 3);

interface StackResult {
  concurrency: number;
  requests: number;
  errors: number;
  seconds: number;
  imagesPerSecond: number;
  latencyMs: { p50: number; p99: number };
}

function photos(): Buffer[] {
  const manifest = JSON.parse(readFileSync(path.join(facesDir, 'manifest.json'), 'utf8')) as { file: string }[];
  // One photo of each of 16 identities, so every person gets a real, distinct face.
  const seen = new Set<string>();
  return manifest
    .filter((p) => {
      const identity = p.file.replace(/_\d+\.jpg$/, '');
      if (seen.has(identity)) return false;
      seen.add(identity);
      return true;
    })
    .slice(0, personCount)
    .map((p) => readFileSync(path.join(facesDir, p.file)));
}

async function measureStack(api: EnvelopeApi, persons: string[], images: Buffer[], concurrency: number) {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const i = next++;
      const submitted = performance.now();
      const response = await api.addFace('bench', persons[i % persons.length]!, images[i % images.length]!);
      latencies.push(performance.now() - submitted);
      if (response.status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!);
  return {
    concurrency,
    requests: latencies.length,
    errors,
    seconds: round(elapsed),
    imagesPerSecond: round(latencies.length / elapsed),
    latencyMs: { p50: at(0.5), p99: at(0.99) },
  } satisfies StackResult;
}

/**
 * Added latency: one request at a time through the stack; for each, the client's total time minus the time the
 * detector itself spent extracting (its handler time, from the answer's Server-Timing header). What remains is
 * everything the stack adds around the pipeline: HTTP, the broker hops, the person check and the store write.
 */
async function measureAddedLatency(api: EnvelopeApi, persons: string[], images: Buffer[]) {
  const total: number[] = [];
  const extraction: number[] = [];
  const added: number[] = [];
  for (let round = 0; round < latencyRounds; round++) {
    for (const [i, image] of images.entries()) {
      const started = performance.now();
      const response = await api.addFace('bench', persons[i % persons.length]!, image);
      const totalMs = performance.now() - started;
      if (response.status !== 200) throw new Error(`add face failed: ${JSON.stringify(response.body)}`);
      const extractionMs = handlerMs(response.headers.get('server-timing'), 'detector.extract');
      if (extractionMs === undefined) throw new Error('no detector.extract in Server-Timing');
      total.push(totalMs);
      extraction.push(extractionMs);
      added.push(totalMs - extractionMs);
    }
  }
  return {
    requests: added.length,
    totalP50Ms: median(total),
    extractionP50Ms: median(extraction),
    addedP50Ms: median(added),
    addedP99Ms: round(added.sort((a, b) => a - b)[Math.min(added.length - 1, Math.floor(added.length * 0.99))]!),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.floor(sorted.length / 2)]!);
}

async function main(): Promise<void> {
  const images = photos();
  console.log(`Bare pipeline: ${workers} workers, ${seconds} s per run`);
  const bareThroughput = await measurePipeline({ workers, images, seconds, purpose: 'enrol' });
  console.log(JSON.stringify({ bareThroughput }));

  const stack = await Stack.start({ detectorWorkers: workers, shardCount: 16 });
  const results: StackResult[] = [];
  let latency: Awaited<ReturnType<typeof measureAddedLatency>>;
  try {
    const api = new EnvelopeApi(stack.baseUrl);
    await api.createGroup('bench');
    const persons = await Promise.all(
      Array.from({ length: personCount }, (_, i) => api.createPerson('bench', `p${i}`)),
    );
    await measureStack(api, persons, images.slice(0, 2), 2); // warm-up: models, connections, JIT
    for (const concurrency of concurrencies) {
      const result = await measureStack(api, persons, images, concurrency);
      console.log(JSON.stringify(result));
      results.push(result);
    }
    latency = await measureAddedLatency(api, persons, images);
    console.log(JSON.stringify({ latency }));
  } finally {
    await stack.stop();
  }
  const saturated = results[results.length - 1]!;
  const summary = {
    throughputRatio: round2(saturated.imagesPerSecond / bareThroughput.imagesPerSecond),
    addedP50LatencyMs: latency.addedP50Ms,
  };
  writeBenchResult(testMode === 'standalone' ? 'enrol-standalone.json' : 'enrol.json', {
    workers,
    secondsPerRun: seconds,
    bare: { throughput: bareThroughput } satisfies Record<string, PipelineBenchmarkResult>,
    stack: results,
    addedLatency: latency,
    summary,
    targets: { throughputRatio: '>= 0.9', addedP50LatencyMs: '<= 15' },
  });
  console.log(
    `stack/bare throughput at concurrency ${saturated.concurrency}: ${summary.throughputRatio} ` +
      `(${saturated.imagesPerSecond} vs ${bareThroughput.imagesPerSecond} img/s); added p50 latency over ` +
      `${latency.requests} requests: ${summary.addedP50LatencyMs} ms (total ${latency.totalP50Ms} ms, of which ` +
      `extraction ${latency.extractionP50Ms} ms)`,
  );
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
