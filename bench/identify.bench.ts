/**
 * `npm run bench:identify`: identification at scale. For groups of 10k, 100k and 1M faces (random unit vectors
 * at the recognition model's dimension, seeded straight into Postgres), measures training through the running
 * store, the snapshot's memory against the raw embedding bytes, and identify latency (p50/p99) through the
 * gateway; then the same for FindSimilar on a large face list of as many faces, in both modes. Sizes:
 * BENCH_IDENTIFY_SIZES=10000,100000,1000000; operations: BENCH_IDENTIFY_OPERATIONS=identify,findSimilar.
 * Writes bench/results/identify.json (identify-standalone.json with VISAGE_TEST_MODE=standalone: the one process).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { float32ToLittleEndian, identifyConfidenceThresholds, similarityFor } from '#contracts';
import { TrainingSnapshot } from '../apps/store/src/training/training-snapshot';
import { syntheticEmbedding } from '../test/support/rpc';
import { Stack, testMode, waitFor } from '../test/support/stack';
import { benchResultPath, writeBenchResult } from './bench-results';
import { KeepAliveApi } from './keep-alive-api';
import { handlerMs } from './server-timing';

const sizes = (process.env.BENCH_IDENTIFY_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const dimension = 128;
const model = 'recognition_01';
const identifyThreshold = identifyConfidenceThresholds[model];
const facesPerPerson = 10;
const queries = Number(process.env.BENCH_IDENTIFY_QUERIES ?? 1000);
const seedBatch = 10_000;
/**
 * Untimed requests after the first (which loads the snapshot): the store collects the garbage of loading it and
 * compiles the hot paths, so the timed requests see it as it runs from then on.
 */
const warmUpRequests = 20;
const recallQueries = Number(process.env.BENCH_IDENTIFY_RECALL_QUERIES ?? 20);
const recallTop = 10;
const operations = (process.env.BENCH_IDENTIFY_OPERATIONS ?? 'identify,findSimilar').split(',');

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
  /** Of those requests, the time in the store's handler (its reads, the search), from Server-Timing. */
  identifyStoreMs?: { p50: number; p99: number };
  /** The same searches in the bench's own process on the same vectors, without the service around them. */
  searchMs: { p50: number; p99: number };
  /** Requests naming 10 faceIds each (Azure's maximum), scanned together. */
  identifyTenFacesMs: { p50: number; p99: number };
  /** Share of brute force's top 10 persons that identify (confidenceThreshold 0) returned. */
  recallAt10: number;
  /** Returned persons outside brute force's top 10 whose exact similarity ties its 10th within the tolerance. */
  nearTieSwaps: number;
}

interface FindSimilarSizeResult {
  faces: number;
  seedSeconds: number;
  trainSeconds: number;
  /** The first request after training loads the snapshot into the store's memory. */
  firstFindSimilarMs: number;
  /** mode matchFace, maxNumOfCandidatesReturned 20 (the default): the most similar whatever their confidence. */
  matchFaceMs: { p50: number; p99: number };
  /** Of those requests, the time in the store's handler (its reads, the search), from Server-Timing. */
  matchFaceStoreMs?: { p50: number; p99: number };
  /** matchFace's searches in the bench's own process on the same vectors, without the service around them. */
  matchFaceSearchMs: { p50: number; p99: number };
  /** mode matchPerson: only faces above the model's identify threshold. */
  matchPersonMs: { p50: number; p99: number };
  /** Mean faces matchPerson returned per query (half the queries are near a listed face). */
  matchPersonMeanCandidates: number;
  /** Share of brute force's top 10 faces that matchFace (maxNumOfCandidatesReturned 10) returned. */
  recallAt10: number;
  /** Returned faces outside brute force's top 10 whose exact similarity ties its 10th within the tolerance. */
  nearTieSwaps: number;
  /** Load average (1 min) of the machine while the requests ran: the bench shares it. */
  loadAverage: number;
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
/** Detected faces with synthetic vectors, written as a Detect would leave them (the detector has no say here). */
async function saveDetectedFaces(stack: Stack, embeddings: Float32Array[]): Promise<{ faceIds: string[] }> {
  const faceIds = embeddings.map(() => randomUUID());
  const db = await stack.db();
  try {
    await db.query(
      `INSERT INTO detected_face (face_id, tenant_id, recognition_model, embedding, expires_at)
       SELECT face_id, 'default', 'recognition_01', embedding, now() + interval '1 hour'
       FROM unnest($1::uuid[], $2::bytea[]) AS given(face_id, embedding)`,
      [faceIds, embeddings.map((embedding) => float32ToLittleEndian(embedding))],
    );
    return { faceIds };
  } finally {
    await db.end();
  }
}

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
    await atRest(db);
  } finally {
    await db.end();
  }
  return matrix;
}

/**
 * Vacuums and analyses the seeded tables, as a database at rest has them: otherwise the autovacuum that a million
 * new rows set off runs during training or the timed requests, in some runs and not in others.
 */
async function atRest(db: Awaited<ReturnType<Stack['db']>>): Promise<void> {
  await db.query('VACUUM (ANALYZE) person, persisted_face');
}

/** Top-k persons by comparing the query with every float32 vector: what identify must return. */
function bruteForceTop(matrix: Float32Array, persons: string[], query: Float32Array, k: number): BruteForce<string> {
  const best = new Map<string, number>();
  for (let row = 0; row < persons.length; row++) {
    let sum = 0;
    for (let d = 0; d < dimension; d++) sum += matrix[row * dimension + d]! * query[d]!;
    if (sum > (best.get(persons[row]!) ?? -Infinity)) best.set(persons[row]!, sum);
  }
  const top = [...best]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([person]) => person);
  return { top, similarity: (person) => best.get(person) ?? -Infinity };
}

/** Brute force's top k and the exact float32 similarity of anything the service may return instead. */
interface BruteForce<T> {
  top: T[];
  similarity: (item: T) => number;
}

/**
 * The search re-scores its candidates to within this of float32 (docs: "the exact ranking"): a result whose
 * similarity ties brute force's k-th within it may take that place without anything being missed.
 */
const rankingTolerance = 1e-4;

function recallOf<T>(expected: BruteForce<T>, returned: T[]): { found: number; nearTieSwaps: number } {
  const inTop = new Set(expected.top);
  const returnedSet = new Set(returned);
  const kth = expected.similarity(expected.top[expected.top.length - 1]!);
  return {
    found: expected.top.filter((item) => returnedSet.has(item)).length,
    nearTieSwaps: returned.filter((item) => !inTop.has(item) && expected.similarity(item) >= kth - rankingTolerance)
      .length,
  };
}

async function measure(stack: Stack, api: KeepAliveApi, faces: number): Promise<SizeResult> {
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

  const queryVectors = Array.from({ length: queries }, () => syntheticEmbedding(dimension));
  const { faceIds } = await saveDetectedFaces(stack, queryVectors);
  const identify = (faceId: string) =>
    api.call('POST', '/identify', { faceIds: [faceId], largePersonGroupId: groupId });
  started = performance.now();
  await identify(faceIds[0]!); // loads the snapshot into the store's memory
  const firstIdentifyMs = performance.now() - started;
  for (const faceId of faceIds.slice(0, warmUpRequests)) await identify(faceId);
  const latencies: number[] = [];
  const inStore = new StoreTimes('faces.identify');
  for (const faceId of faceIds) {
    started = performance.now();
    const response = await identify(faceId);
    latencies.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`identify: ${JSON.stringify(response.body)}`);
    inStore.add(response.serverTiming);
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

  const probes = probesOf(matrix, recallQueries, 0.5);
  const saved = await saveDetectedFaces(stack, probes);
  const expectations = probes.map((probe) => bruteForceTop(matrix, rowPersons, probe, recallTop));
  await settle();
  let found = 0;
  let nearTieSwaps = 0;
  for (const [i, expected] of expectations.entries()) {
    const response = await api.call<[{ candidates: { person_id: string }[] }]>('POST', '/identify', {
      faceIds: [saved.faceIds[i]],
      largePersonGroupId: groupId,
      maxNumOfCandidatesReturned: recallTop,
      confidenceThreshold: 0,
    });
    const recall = recallOf(
      expected,
      response.body.data![0].candidates.map((c) => c.person_id),
    );
    found += recall.found;
    nearTieSwaps += recall.nearTieSwaps;
  }

  // The store holds this structure per trained group; its size follows from the array lengths.
  const snapshot = TrainingSnapshot.fromRows(1, dimension, rowPersons, matrix);
  const rawEmbeddingBytes = faces * dimension * 4;
  // Identify's defaults: the model's confidence threshold, ten candidates.
  const searchMs = await searchAlone(snapshot, queryVectors, similarityFor(identifyThreshold, model), 10);
  snapshot.release();
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
    identifyStoreMs: inStore.percentiles(),
    searchMs,
    identifyTenFacesMs: percentiles(tenFaceLatencies),
    recallAt10: round(found / (recallQueries * recallTop), 4),
    nearTieSwaps,
  };
}

/** Distinct random unit vectors as the list's faces (person_id NULL, as list faces are), kept for recall. */
async function seedList(stack: Stack, listId: string, faces: number): Promise<Float32Array> {
  const matrix = new Float32Array(faces * dimension);
  const db = await stack.db();
  try {
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
         SELECT gen_random_uuid(), NULL, 'default', 'largeFaceList', $1, 'detection_01', 'recognition_01',
           '{"left":0,"top":0,"width":100,"height":100}', v, $1 || '-' || (n + $2::int), now()
         FROM unnest($3::bytea[]) WITH ORDINALITY AS t(v, n)`,
        [listId, from, vectors],
      );
    }
    await db.query(
      `UPDATE collection SET face_count = $2 WHERE tenant_id = 'default' AND kind = 'largeFaceList' AND group_id = $1`,
      [listId, faces],
    );
    await atRest(db);
  } finally {
    await db.end();
  }
  return matrix;
}

/** Rows of the k faces most similar to the query, comparing with every float32 vector: what matchFace returns. */
function bruteForceTopRows(matrix: Float32Array, query: Float32Array, k: number): BruteForce<number> {
  const rows = matrix.length / dimension;
  const scores = new Float32Array(rows);
  for (let row = 0; row < rows; row++) {
    let sum = 0;
    for (let d = 0; d < dimension; d++) sum += matrix[row * dimension + d]! * query[d]!;
    scores[row] = sum;
  }
  const top: number[] = [];
  for (let row = 0; row < rows; row++) {
    if (top.length === k && scores[row]! <= scores[top[k - 1]!]!) continue;
    let i = Math.min(top.length, k - 1);
    while (i > 0 && scores[top[i - 1]!]! < scores[row]!) i--;
    top.splice(i, 0, row);
    if (top.length > k) top.pop();
  }
  return { top, similarity: (row) => scores[row] ?? -Infinity };
}

/**
 * Probes for the query faces: half near a seeded face, as real probes are (similarity about 1/√(1 + w²) for
 * noise weight w: 0.89 at 0.5, 0.97 at 0.25, above matchPerson's threshold), half random.
 */
function probesOf(matrix: Float32Array, count: number, noiseWeight: number): Float32Array[] {
  const rows = matrix.length / dimension;
  return Array.from({ length: count }, (_, i) => {
    if (i % 2 === 1) return syntheticEmbedding(dimension);
    const row = (i * 997) % rows;
    const near = matrix.slice(row * dimension, (row + 1) * dimension);
    const noise = syntheticEmbedding(dimension);
    const mixed = near.map((v, d) => v + noiseWeight * noise[d]!);
    const norm = Math.hypot(...mixed);
    return mixed.map((v) => v / norm);
  });
}

async function measureFindSimilar(stack: Stack, api: KeepAliveApi, faces: number): Promise<FindSimilarSizeResult> {
  await settle();
  const listId = `scale-list-${faces}`;
  const created = await api.call('PUT', `/largefacelists/${listId}`, { name: listId });
  if (created.status !== 200) throw new Error(`create list: ${JSON.stringify(created.body)}`);
  let started = performance.now();
  const matrix = await seedList(stack, listId, faces);
  const seedSeconds = (performance.now() - started) / 1000;
  console.log(`findSimilar ${faces}: seeded in ${round(seedSeconds)} s`);

  started = performance.now();
  const train = await api.call('POST', `/largefacelists/${listId}/train`);
  if (train.status !== 202) throw new Error(`train: ${JSON.stringify(train.body)}`);
  let status = '';
  await waitFor(
    async () => {
      status = ((await api.call<{ status: string }>('GET', `/largefacelists/${listId}/training`)).body.data?.status ??
        '') as string;
      return status === 'succeeded' || status === 'failed';
    },
    1_800_000,
    `training of a list of ${faces} faces`,
  );
  if (status !== 'succeeded') throw new Error(`training of a list of ${faces} faces ${status}`);
  const trainSeconds = (performance.now() - started) / 1000;
  console.log(`findSimilar ${faces}: trained in ${round(trainSeconds)} s`);

  const probes = probesOf(matrix, Math.max(queries, recallQueries), 0.25);
  const { faceIds } = await saveDetectedFaces(stack, probes);
  const findSimilar = async (faceId: string, mode: string, maxNumOfCandidatesReturned = 20) => {
    const response = await api.call<{ persisted_face_id: string }[]>('POST', '/findsimilars', {
      faceId,
      largeFaceListId: listId,
      mode,
      maxNumOfCandidatesReturned,
    });
    if (response.status !== 200) throw new Error(`findsimilars: ${JSON.stringify(response.body)}`);
    return { similar: response.body.data!, serverTiming: response.serverTiming };
  };
  started = performance.now();
  await findSimilar(faceIds[0]!, 'matchFace');
  const firstFindSimilarMs = performance.now() - started;
  for (const faceId of faceIds.slice(0, warmUpRequests)) await findSimilar(faceId, 'matchFace');

  const loadBefore = loadavg()[0]!;
  const timed = async (mode: string) => {
    const latencies: number[] = [];
    const inStore = new StoreTimes('faces.findSimilar');
    let returned = 0;
    for (const faceId of faceIds) {
      started = performance.now();
      const { similar, serverTiming } = await findSimilar(faceId, mode);
      latencies.push(performance.now() - started);
      returned += similar.length;
      inStore.add(serverTiming);
    }
    return { latencies, returned, inStore };
  };
  const matchFace = await timed('matchFace');
  const matchPerson = await timed('matchPerson');
  const loadAverage = (loadBefore + loadavg()[0]!) / 2;

  const snapshot = TrainingSnapshot.fromRows(
    1,
    dimension,
    Array.from({ length: faces }, (_, row) => String(row)),
    matrix,
  );
  const matchFaceSearchMs = await searchAlone(snapshot, probes, -Infinity, 20);
  snapshot.release();

  // The persisted face id of each seeded row, to compare matchFace's answer with brute force's rows (read after
  // the timed requests: a million map entries would have the collector run during them).
  const db = await stack.db();
  const rowOfFace = new Map<string, number>();
  try {
    const rows: { persisted_face_id: string; request_id: string }[] = (
      await db.query(
        `SELECT persisted_face_id, request_id FROM persisted_face
         WHERE tenant_id = 'default' AND kind = 'largeFaceList' AND group_id = $1`,
        [listId],
      )
    ).rows;
    const prefix = `${listId}-`.length;
    for (const row of rows) rowOfFace.set(row.persisted_face_id, Number(row.request_id.slice(prefix)) - 1);
  } finally {
    await db.end();
  }

  const expectations = probes.slice(0, recallQueries).map((probe) => bruteForceTopRows(matrix, probe, recallTop));
  await settle();
  let found = 0;
  let nearTieSwaps = 0;
  for (const [i, expected] of expectations.entries()) {
    const { similar } = await findSimilar(faceIds[i]!, 'matchFace', recallTop);
    const recall = recallOf(
      expected,
      similar.map((face) => rowOfFace.get(face.persisted_face_id) ?? -1),
    );
    found += recall.found;
    nearTieSwaps += recall.nearTieSwaps;
  }
  return {
    faces,
    seedSeconds: round(seedSeconds),
    trainSeconds: round(trainSeconds),
    firstFindSimilarMs: round(firstFindSimilarMs),
    matchFaceMs: percentiles(matchFace.latencies),
    matchFaceStoreMs: matchFace.inStore.percentiles(),
    matchFaceSearchMs,
    matchPersonMs: percentiles(matchPerson.latencies),
    matchPersonMeanCandidates: round(matchPerson.returned / faceIds.length, 2),
    recallAt10: round(found / (recallQueries * recallTop), 4),
    nearTieSwaps,
    loadAverage: round(loadAverage, 2),
  };
}

/**
 * The searches alone, in this process, on a snapshot of the same vectors: what the machine's memory and cores
 * take, next to which the rest of a request's time (HTTP, the broker, Postgres) is the service's.
 */
async function searchAlone(
  snapshot: TrainingSnapshot,
  probes: Float32Array[],
  minSimilarity: number,
  limit: number,
): Promise<{ p50: number; p99: number }> {
  const latencies: number[] = [];
  for (const probe of probes) {
    const started = performance.now();
    await snapshot.rank(probe, minSimilarity, limit);
    latencies.push(performance.now() - started);
  }
  return percentiles(latencies);
}

/**
 * One turn of the event loop through its timers and its socket events, after seconds of synchronous work (brute
 * force, encoding a snapshot): else the next request may go out on a keep-alive connection the gateway has
 * already closed ("other side closed").
 */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await new Promise((resolve) => setImmediate(resolve));
}

/**
 * The time requests spent in the store's handler of `pattern`, from the Server-Timing each answer carries; none
 * where the service sent no such entry.
 */
class StoreTimes {
  private readonly handled: number[] = [];

  constructor(private readonly pattern: string) {}

  add(serverTiming: string | undefined): void {
    const ms = handlerMs(serverTiming, this.pattern);
    if (ms !== undefined) this.handled.push(ms);
  }

  percentiles(): { p50: number; p99: number } | undefined {
    return this.handled.length > 0 ? percentiles(this.handled) : undefined;
  }
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

/** The machine's load averages (1, 5, 15 min), as uptime prints them. */
function loadNow(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');
}

/** The figures of each mode in a file of their own: `VISAGE_TEST_MODE=standalone` measures the one process. */
const resultFile = testMode === 'standalone' ? 'identify-standalone.json' : 'identify.json';

async function main(): Promise<void> {
  const loadAtStart = loadNow();
  const stack = await Stack.start({ detectorWorkers: 1 });
  const results: SizeResult[] = [];
  const findSimilarResults: FindSimilarSizeResult[] = [];
  const api = new KeepAliveApi(stack.baseUrl);
  try {
    for (const faces of sizes) {
      if (operations.includes('identify')) {
        const result = await measure(stack, api, faces);
        console.log(JSON.stringify(result));
        results.push(result);
      }
      if (operations.includes('findSimilar')) {
        const result = await measureFindSimilar(stack, api, faces);
        console.log(JSON.stringify(result));
        findSimilarResults.push(result);
      }
    }
  } finally {
    api.close();
    await stack.stop();
  }
  const file = benchResultPath(resultFile);
  // A run of some sizes or operations keeps the earlier figures of the others.
  const earlier = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as {
        date?: string;
        note?: string;
        results: SizeResult[];
        findSimilar?: { date?: string; note?: string; results: FindSimilarSizeResult[] };
      })
    : { results: [] };
  const note = `load average (1, 5, 15 min) ${loadAtStart} at the start of the run, ${loadNow()} at its end`;
  const merge = <T extends { faces: number }>(before: T[], now: T[]): T[] => {
    const measured = new Set(now.map((r) => r.faces));
    return [...before.filter((r) => !measured.has(r.faces)), ...now].sort((a, b) => a.faces - b.faces);
  };
  writeBenchResult(resultFile, {
    // The date and note say when identify's figures were measured, even by a run of FindSimilar alone.
    ...(results.length > 0 ? { note } : { date: earlier.date, note: earlier.note }),
    method:
      'exact search (int8 SIMD scan on every core, then the candidates that can still rank re-scored to 1e-4), ' +
      'one query face per request, default confidence threshold, through the gateway on a keep-alive HTTP/1.1 ' +
      `connection (node:http) after ${warmUpRequests} untimed requests; recall against float32 ` +
      'brute force with confidenceThreshold 0',
    results: merge(earlier.results, results),
    targets: {
      trainSecondsAt1M: '<= 60',
      identifyP50MsAt1M: '<= 20',
      identifyP99MsAt1M: '<= 50',
      memoryRatio: '<= 1.2',
      recallAt10: '>= 0.99',
    },
    findSimilar: {
      ...(findSimilarResults.length > 0
        ? { date: new Date().toISOString(), note }
        : { date: earlier.findSimilar?.date, note: earlier.findSimilar?.note }),
      method:
        'POST /findsimilars against a trained large face list of random unit vectors (each face its own snapshot ' +
        'entry, the same kernel as identify), one query face per request through the gateway on a keep-alive ' +
        `HTTP/1.1 connection (node:http) after ${warmUpRequests} untimed requests, half the queries ` +
        'near a listed face; matchFace with the default 20 candidates, matchPerson with the default threshold; ' +
        'recall of matchFace (maxNumOfCandidatesReturned 10) against float32 brute force over the seeded faces',
      results: merge(earlier.findSimilar?.results ?? [], findSimilarResults),
      targets: { p50MsAt1M: '<= 20', p99MsAt1M: '<= 50', recallAt10: '>= 0.99' },
    },
  });
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
