/**
 * `npm run bench:snapshot-cache`: the memory identify's snapshot cache really holds. Loads snapshots of
 * BENCH_CACHE_FACES random 128-D faces (default 100 000) into a cache bounded at BENCH_CACHE_MB (default 256)
 * until twice the bound was asked for, and compares the process's resident memory with the bytes the cache
 * counts. Writes bench/results/snapshot-cache.json.
 */
import { SnapshotCache } from '../apps/store/src/search/snapshot-cache';
import { encodeRows } from '../apps/store/src/training/snapshot-encoding';
import { TrainingSnapshot } from '../apps/store/src/training/training-snapshot';
import { syntheticEmbedding } from '../test/support/rpc';
import { writeBenchResult } from './bench-results';

const faces = Number(process.env.BENCH_CACHE_FACES ?? 100_000);
const boundMiB = Number(process.env.BENCH_CACHE_MB ?? 256);
const dimension = 128;
const facesPerPerson = 10;
const MiB = 2 ** 20;

function settledMemory(): NodeJS.MemoryUsage {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage();
}

async function main(): Promise<void> {
  if (!(globalThis as { gc?: () => void }).gc) throw new Error('Run with node --expose-gc');
  const persons = Array.from({ length: faces }, (_, i) => `person-${Math.floor(i / facesPerPerson)}`);
  const matrix = new Float32Array(faces * dimension);
  for (let row = 0; row < faces; row++) matrix.set(syntheticEmbedding(dimension), row * dimension);
  const parts = encodeRows(dimension, persons, matrix);
  const query = syntheticEmbedding(dimension);
  // One identify first, so that the scan threads are part of the baseline.
  const first = TrainingSnapshot.fromParts(0, parts);
  const snapshotBytes = first.bytes;
  await first.rank(query, -1, 10);
  const cache = new SnapshotCache<TrainingSnapshot>(boundMiB * MiB);
  const baseline = settledMemory();
  const loads = Math.ceil((Number(process.env.BENCH_CACHE_ASKED ?? 2) * boundMiB * MiB) / snapshotBytes);
  const samples = [];
  for (let n = 1; n <= loads; n++) {
    const snapshot = await cache.get(
      { tenantId: 'bench', kind: 'largePersonGroup', groupId: `group-${n}`, snapshotId: `s${n}` },
      () => Promise.resolve(TrainingSnapshot.fromParts(n, parts)),
    );
    // An identify touches every page of the snapshot, as serving would.
    await snapshot.rank(query, -1, 10);
    const memory = settledMemory();
    samples.push({
      loaded: n,
      held: cache.held().length,
      cachedMiB: round(cache.bytes / MiB),
      rssGrowthMiB: round((memory.rss - baseline.rss) / MiB),
      heapGrowthMiB: round((memory.heapUsed - baseline.heapUsed) / MiB),
    });
  }
  const last = samples.at(-1)!;
  const figures = {
    faces,
    boundMiB,
    snapshotMiB: round(snapshotBytes / MiB),
    samples,
    rssGrowthPerCachedByte: round(last.rssGrowthMiB / last.cachedMiB, 3),
  };
  console.log(JSON.stringify(figures, null, 2));
  writeBenchResult('snapshot-cache.json', figures);
  process.exit(0); // the scan threads would keep the process alive
}

function round(value: number, digits = 1): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

void main();
