/**
 * `npm run bench:identify`: identification at scale. For groups of 10k, 100k and 1M faces (random unit vectors
 * at the recognition model's dimension, seeded straight into Postgres), measures training through the running
 * store, the snapshot's memory against the raw embedding bytes, and identify latency (p50/p99) through the
 * gateway. Sizes: BENCH_IDENTIFY_SIZES=10000,100000,1000000. Writes bench/results/identify.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { float32ToLittleEndian, type RpcClient } from '#messaging';
import { TrainingSnapshot } from '../apps/store/src/training/training-snapshot';
import { EnvelopeApi } from '../test/support/api';
import { connectRpc, syntheticEmbedding } from '../test/support/rpc';
import { Stack, waitFor } from '../test/support/stack';
import { benchResultPath, writeBenchResult } from './bench-results';

const sizes = (process.env.BENCH_IDENTIFY_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const dimension = 128;
const facesPerPerson = 10;
const queries = Number(process.env.BENCH_IDENTIFY_QUERIES ?? 50);
const seedBatch = 10_000;
const recallQueries = Number(process.env.BENCH_IDENTIFY_RECALL_QUERIES ?? 20);
const recallTop = 10;

interface SizeResult {
  faces: number;
  persons: number;
  seedSeconds: number;
  trainSeconds: number;
  snapshotBytes: number;
  rawEmbeddingBytes: number;
  memoryRatio: number;
  firstIdentifyMs: number;
  identifyMs: { p50: number; p99: number };
  /** Requests naming 10 faceIds each (Azure's maximum), scanned together. */
  identifyTenFacesMs: { p50: number; p99: number };
  /** Share of brute force's top 10 persons that identify (confidenceThreshold 0) returned. */
  recallAt10: number;
}

/** Person of each seeded row: `facesPerPerson` rows each, ids unique to the group size. */
function personOfRow(faces: number): string[] {
  const persons = Math.ceil(faces / facesPerPerson);
  return Array.from(
    { length: faces },
    (_, i) =>
      `${faces.toString(16).padStart(8, '0')}-0000-4000-8000-${(1 + (i % persons)).toString(16).padStart(12, '0')}`,
  );
}

/** Distinct random unit vectors for every face (repeated vectors would make rankings ties), kept for recall. */
async function seed(stack: Stack, groupId: string, rowPersons: string[]): Promise<Float32Array> {
  const faces = rowPersons.length;
  const matrix = new Float32Array(faces * dimension);
  const db = await stack.db();
  try {
    await db.query(
      `INSERT INTO person (person_id, tenant_id, kind, group_id, name, face_count, created_at, updated_at)
       SELECT id, 'default', 'largePersonGroup', $1, 'p' || n, 0, now(), now() FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [groupId, [...new Set(rowPersons)]],
    );
    for (let from = 0; from < faces; from += seedBatch) {
      const count = Math.min(seedBatch, faces - from);
      const vectors = Array.from({ length: count }, (_, i) => {
        const vector = syntheticEmbedding(dimension);
        matrix.set(vector, (from + i) * dimension);
        return float32ToLittleEndian(vector);
      });
      await db.query(
        `INSERT INTO persisted_face (persisted_face_id, person_id, tenant_id, kind, group_id, detection_model,
           recognition_model, face_rectangle, embedding, request_id, created_at)
         SELECT gen_random_uuid(), person, 'default', 'largePersonGroup', $1, 'detection_01', 'recognition_01',
           '{"left":0,"top":0,"width":100,"height":100}', v, $1 || '-' || (n + $2::int), now()
         FROM unnest($3::uuid[], $4::bytea[]) WITH ORDINALITY AS t(person, v, n)`,
        [groupId, from, rowPersons.slice(from, from + count), vectors],
      );
    }
  } finally {
    await db.end();
  }
  return matrix;
}

/** Top-k persons by comparing the query with every float32 vector: what identify must return. */
function bruteForceTop(matrix: Float32Array, persons: string[], query: Float32Array, k: number): string[] {
  const best = new Map<string, number>();
  for (let row = 0; row < persons.length; row++) {
    let sum = 0;
    for (let d = 0; d < dimension; d++) sum += matrix[row * dimension + d]! * query[d]!;
    if (sum > (best.get(persons[row]!) ?? -Infinity)) best.set(persons[row]!, sum);
  }
  return [...best]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([person]) => person);
}

async function measure(stack: Stack, api: EnvelopeApi, rpc: RpcClient, faces: number): Promise<SizeResult> {
  const groupId = `scale-${faces}`;
  await api.createGroup(groupId);
  const rowPersons = personOfRow(faces);
  let started = performance.now();
  const matrix = await seed(stack, groupId, rowPersons);
  const seedSeconds = (performance.now() - started) / 1000;

  started = performance.now();
  const train = await api.call('POST', `/largepersongroups/${groupId}/train`);
  if (train.status !== 202) throw new Error(`train: ${JSON.stringify(train.body)}`);
  let status = '';
  await waitFor(
    async () => {
      status = ((await api.call<{ status: string }>('GET', `/largepersongroups/${groupId}/training`)).body.data
        ?.status ?? '') as string;
      return status === 'succeeded' || status === 'failed';
    },
    1_800_000,
    `training of ${faces} faces`,
  );
  if (status !== 'succeeded') throw new Error(`training of ${faces} faces ${status}`);
  const trainSeconds = (performance.now() - started) / 1000;

  const { faceIds } = await rpc.send('detected.save', {
    tenantId: 'default',
    recognitionModel: 'recognition_01',
    ttlSeconds: 3600,
    embeddings: Array.from({ length: queries }, () => syntheticEmbedding(dimension)),
  });
  const identify = (faceId: string) =>
    api.call('POST', '/identify', { faceIds: [faceId], largePersonGroupId: groupId });
  started = performance.now();
  await identify(faceIds[0]!); // loads the snapshot into the store's memory
  const firstIdentifyMs = performance.now() - started;
  const latencies: number[] = [];
  for (const faceId of faceIds) {
    started = performance.now();
    const response = await identify(faceId);
    latencies.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`identify: ${JSON.stringify(response.body)}`);
  }
  const tenFaceLatencies: number[] = [];
  for (let i = 0; i + 10 <= faceIds.length; i += 10) {
    started = performance.now();
    const response = await api.call('POST', '/identify', {
      faceIds: faceIds.slice(i, i + 10),
      largePersonGroupId: groupId,
    });
    tenFaceLatencies.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`identify: ${JSON.stringify(response.body)}`);
  }

  // Half the probes are near an enrolled face, as real probes are; the rest are random.
  const probes = Array.from({ length: recallQueries }, (_, i) => {
    if (i % 2 === 1) return syntheticEmbedding(dimension);
    const row = (i * 997) % faces;
    const near = matrix.slice(row * dimension, (row + 1) * dimension);
    const noise = syntheticEmbedding(dimension);
    const mixed = near.map((v, d) => v + 0.5 * noise[d]!);
    const norm = Math.hypot(...mixed);
    return mixed.map((v) => v / norm);
  });
  const saved = await rpc.send('detected.save', {
    tenantId: 'default',
    recognitionModel: 'recognition_01',
    ttlSeconds: 3600,
    embeddings: probes,
  });
  let found = 0;
  for (const [i, probe] of probes.entries()) {
    const expected = bruteForceTop(matrix, rowPersons, probe, recallTop);
    const response = await api.call<[{ candidates: { person_id: string }[] }]>('POST', '/identify', {
      faceIds: [saved.faceIds[i]],
      largePersonGroupId: groupId,
      maxNumOfCandidatesReturned: recallTop,
      confidenceThreshold: 0,
    });
    const returned = new Set(response.body.data![0].candidates.map((c) => c.person_id));
    found += expected.filter((person) => returned.has(person)).length;
  }

  // The store holds this structure per trained group; its size follows from the array lengths.
  const snapshot = TrainingSnapshot.fromRows(1, dimension, rowPersons, matrix);
  const rawEmbeddingBytes = faces * dimension * 4;
  return {
    faces,
    persons: new Set(rowPersons).size,
    seedSeconds: round(seedSeconds),
    trainSeconds: round(trainSeconds),
    snapshotBytes: snapshot.bytes,
    rawEmbeddingBytes,
    memoryRatio: round(snapshot.bytes / rawEmbeddingBytes, 3),
    firstIdentifyMs: round(firstIdentifyMs),
    identifyMs: percentiles(latencies),
    identifyTenFacesMs: percentiles(tenFaceLatencies),
    recallAt10: round(found / (recallQueries * recallTop), 4),
  };
}

function percentiles(latencies: number[]): { p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50: round(sorted[Math.floor(sorted.length * 0.5)]!),
    p99: round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!),
  };
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

async function main(): Promise<void> {
  const stack = await Stack.start({ detectorWorkers: 1 });
  const results: SizeResult[] = [];
  try {
    const api = new EnvelopeApi(stack.baseUrl);
    const rpc = await connectRpc(stack.amqpUrl);
    try {
      for (const faces of sizes) {
        const result = await measure(stack, api, rpc, faces);
        console.log(JSON.stringify(result));
        results.push(result);
      }
    } finally {
      await rpc.close();
    }
  } finally {
    await stack.stop();
  }
  const file = benchResultPath('identify.json');
  // A run of some sizes keeps the earlier figures of the others.
  const earlier: SizeResult[] = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { results: SizeResult[] }).results
    : [];
  const merged = [...earlier.filter((r) => !sizes.includes(r.faces)), ...results].sort((a, b) => a.faces - b.faces);
  writeBenchResult('identify.json', {
    method:
      'exact search (int8 SIMD scan on every core, then the candidates that can still rank re-scored to 1e-4), ' +
      'one query face per request, default confidence threshold, through the gateway; recall against float32 ' +
      'brute force with confidenceThreshold 0',
    results: merged,
    targets: {
      trainSecondsAt1M: '<= 60',
      identifyP50MsAt1M: '<= 20',
      identifyP99MsAt1M: '<= 50',
      memoryRatio: '<= 1.2',
      recallAt10: '>= 0.99',
    },
  });
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
