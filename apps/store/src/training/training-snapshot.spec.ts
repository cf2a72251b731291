import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampledRuns, sampleRun, TrainingSnapshot, type Ranking } from './training-snapshot';
import { ScanPool } from './kernel/scan-pool';
import { encodeRows } from './snapshot-encoding';

/** The ranking by comparing against every float32 vector: what the snapshot must reproduce. */
function bruteForce(personIdOfRow: string[], matrix: Float32Array, dim: number, query: Float32Array, min: number) {
  const best = new Map<string, number>();
  personIdOfRow.forEach((person, row) => {
    let sum = 0;
    for (let k = 0; k < dim; k++) sum += matrix[row * dim + k]! * query[k]!;
    best.set(person, Math.max(best.get(person) ?? -Infinity, sum));
  });
  return [...best].filter(([, s]) => s >= min).sort((a, b) => b[1] - a[1]);
}

function randomUnit(dim: number, random: () => number, around?: Float32Array, spread = 1): Float32Array {
  const v = new Float32Array(dim);
  let norm = 0;
  for (let k = 0; k < dim; k++) {
    // Sum of uniforms: close enough to Gaussian for direction sampling.
    const g = random() + random() + random() - 1.5;
    v[k] = (around?.[k] ?? 0) + spread * g;
    norm += v[k]! ** 2;
  }
  return v.map((x) => x / Math.sqrt(norm));
}

function seeded(seed: number): () => number {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function names(snapshot: TrainingSnapshot, ranking: Ranking): string[] {
  return ranking.persons.map((p) => snapshot.personIds[p.person]!);
}

test('ranks persons by the best similarity of any of their faces', async () => {
  const matrix = new Float32Array([1, 0, 0.6, 0.8, 0, 1, -1, 0]);
  const snapshot = TrainingSnapshot.fromRows(1, 2, ['a', 'b', 'b', 'c'], matrix);
  assert.deepEqual(snapshot.personIds, ['a', 'b', 'c']);
  const ranking = await snapshot.rank(new Float32Array([0, 1]), -2, 10);
  assert.deepEqual(names(snapshot, ranking), ['b', 'a', 'c']);
  assert.deepEqual(
    ranking.persons.map((p) => Math.round(p.similarity * 1e4) / 1e4),
    [1, 0, 0],
  );
  assert.equal(ranking.complete, true);
  const top = await snapshot.rank(new Float32Array([0, 1]), -2, 1);
  assert.deepEqual([names(snapshot, top), top.complete], [['b'], false]);
  assert.deepEqual(names(snapshot, await snapshot.rank(new Float32Array([0, 1]), 0.5, 10)), ['b']);
  await assert.rejects(snapshot.rank(new Float32Array([1, 0, 0]), 0, 1), /dimensions/);
});

for (const [shape, dim, rows, persons] of [
  ['random unit vectors, one thread', 128, 3_000, 600],
  ['faces clustered like real embeddings, scan threads', 128, 40_000, 4_000],
  ['a dimension that is not a multiple of 16', 75, 2_000, 500],
  ['a large face list (one face per entry), scan threads', 128, 40_000, 40_000],
  ['a large face list of an odd size, one thread', 128, 2_003, 2_003],
  ['persons with uneven numbers of faces', 32, 5_000, 1_400],
] as const) {
  test(`same persons, order and similarities as float32 brute force: ${shape}`, async () => {
    const random = seeded(dim + rows);
    const centre = randomUnit(dim, random);
    const clustered = shape.startsWith('faces');
    const identities = Array.from({ length: persons }, () =>
      clustered ? randomUnit(dim, random, centre, 0.06) : randomUnit(dim, random),
    );
    const uneven = shape.startsWith('persons with uneven');
    const personIdOfRow = Array.from(
      { length: rows },
      (_, row) => `p${uneven ? Math.floor(random() ** 2 * persons) : row % persons}`,
    );
    const matrix = new Float32Array(rows * dim);
    personIdOfRow.forEach((_, row) =>
      matrix.set(
        clustered ? randomUnit(dim, random, identities[row % persons], 0.02) : randomUnit(dim, random),
        row * dim,
      ),
    );
    const snapshot = TrainingSnapshot.fromRows(1, dim, personIdOfRow, matrix);
    for (let q = 0; q < 10; q++) {
      const query = clustered ? randomUnit(dim, random, identities[q * 7]!, 0.02) : randomUnit(dim, random);
      for (const [min, limit] of [
        [-1, 10],
        [clustered ? 0.9 : 0.1, 100],
        [-1, 1],
        [-1, 1000],
      ] as const) {
        const expected = bruteForce(personIdOfRow, matrix, dim, query, min);
        const exact = new Map(expected);
        const ranking = await snapshot.rank(query, min, limit);
        // The k best, each with its exact similarity; persons closer than 1e-4 may trade places.
        assert.equal(ranking.persons.length, Math.min(limit, expected.length));
        assert.equal(new Set(names(snapshot, ranking)).size, ranking.persons.length);
        ranking.persons.forEach((p, i) => {
          assert.ok(Math.abs(p.similarity - exact.get(snapshot.personIds[p.person]!)!) < 1e-4);
          assert.ok(Math.abs(p.similarity - expected[i]![1]) < 1e-4);
        });
        assert.equal(ranking.complete, expected.length <= limit);
      }
    }
    assert.ok(rows < 32_768 || ScanPool.shared().size > 0);
  });
}

test('a threshold guessed too high from the sample of scores is lowered until all that can rank are in', async () => {
  // Every entry the sample reads is close to the query, and there are fewer of them than the limit.
  const dim = 16;
  const entries = 40_000;
  const random = seeded(7);
  const query = randomUnit(dim, random);
  const sampled = new Set(
    sampledRuns(entries).flatMap((from) => Array.from({ length: sampleRun }, (_, i) => from + i)),
  );
  const personIdOfRow = Array.from({ length: entries }, (_, row) => `f${row}`);
  const matrix = new Float32Array(entries * dim);
  for (let row = 0; row < entries; row++) {
    matrix.set(sampled.has(row) ? randomUnit(dim, random, query, 0.05) : randomUnit(dim, random), row * dim);
  }
  const snapshot = TrainingSnapshot.fromRows(1, dim, personIdOfRow, matrix);
  const expected = bruteForce(personIdOfRow, matrix, dim, query, -Infinity);
  const limit = sampled.size + 1_000;
  // No threshold (matchFace): the sample's guess is the first thing tried.
  const ranking = await snapshot.rank(query, -Infinity, limit);
  assert.equal(ranking.persons.length, limit);
  ranking.persons.forEach((p, i) => assert.ok(Math.abs(p.similarity - expected[i]![1]) < 1e-4));
  assert.equal(ranking.complete, false);
});

test('holds about half the bytes of the float32 vectors', () => {
  const dim = 128;
  const rows = 10_000;
  const snapshot = TrainingSnapshot.fromRows(
    1,
    dim,
    Array.from({ length: rows }, (_, i) => `p${i % 1000}`),
    new Float32Array(rows * dim).fill(1 / Math.sqrt(dim)),
  );
  assert.ok(snapshot.bytes / (rows * dim * 4) < 0.6, `${snapshot.bytes} bytes`);
});

test('a snapshot stored in parts never splits a person and ranks as the one built in one piece', async () => {
  const dim = 75; // not a multiple of 16: rows are re-padded when the parts are copied in
  const random = seeded(7);
  const personIdOfRow = Array.from({ length: 3_000 }, () => `p${Math.floor(random() * 400)}`);
  const matrix = new Float32Array(personIdOfRow.length * dim);
  personIdOfRow.forEach((_, row) => matrix.set(randomUnit(dim, random), row * dim));
  const parts = encodeRows(dim, personIdOfRow, matrix, 500);
  assert.ok(parts.length >= 5, `${parts.length} parts`);
  const persons = parts.flatMap((part) => part.personIds);
  assert.equal(new Set(persons).size, persons.length, 'each person in exactly one part');
  for (const part of parts.slice(0, -1)) assert.ok(part.scales.length >= 500 && part.scales.length < 500 + 248);

  const whole = TrainingSnapshot.fromRows(1, dim, personIdOfRow, matrix);
  const stored = TrainingSnapshot.fromParts(1, parts);
  assert.equal(stored.dimension, dim);
  for (let probe = 0; probe < 5; probe++) {
    const query = randomUnit(dim, random, matrix.subarray(probe * dim, (probe + 1) * dim), 0.05);
    const [a, b] = await Promise.all([whole.rank(query, 0, 20), stored.rank(query, 0, 20)]);
    assert.deepEqual(names(stored, b), names(whole, a));
    assert.deepEqual(
      b.persons.map((p) => p.similarity),
      a.persons.map((p) => p.similarity),
    );
  }
});

test('ten queries ranked in one scan give what each ranked alone gives, on one thread and on scan threads', async () => {
  const dim = 128;
  for (const [rows, faces] of [
    [2_000, 'eight'],
    [40_000, 'eight'],
    [5_003, 'uneven'],
    [40_002, 'one'],
  ] as const) {
    const random = seeded(rows);
    // Eight faces each; from one to over a hundred (persons of one face side by side, faces of one person
    // spanning blocks of four rows); or one each, as a large face list (each scan thread's rows then start
    // and end off a block of four).
    const personOfRow = {
      eight: (row: number) => row % (rows / 8),
      uneven: () => Math.floor(random() ** 2 * 1_400),
      one: (row: number) => row,
    }[faces];
    const personIdOfRow = Array.from({ length: rows }, (_, row) => `p${personOfRow(row)}`);
    const matrix = new Float32Array(rows * dim);
    personIdOfRow.forEach((_, row) => matrix.set(randomUnit(dim, random), row * dim));
    const snapshot = TrainingSnapshot.fromRows(1, dim, personIdOfRow, matrix);
    const queries = Array.from({ length: 10 }, (_, q) =>
      randomUnit(dim, random, matrix.subarray(q * 97 * dim, (q * 97 + 1) * dim), 0.1),
    );
    const together = await snapshot.rankAll(queries, 0, 5);
    for (const [q, query] of queries.entries()) {
      const alone = await snapshot.rank(query, 0, 5);
      assert.deepEqual(together[q], alone, `query ${q} of ${rows} rows`);
    }
  }
});

test('queries of concurrent calls share scans and each gets its own threshold and limit', async () => {
  const dim = 64;
  const random = seeded(11);
  const rows = 3_000;
  const personIdOfRow = Array.from({ length: rows }, (_, row) => `p${row % 700}`);
  const matrix = new Float32Array(rows * dim);
  personIdOfRow.forEach((_, row) => matrix.set(randomUnit(dim, random), row * dim));
  const snapshot = TrainingSnapshot.fromRows(1, dim, personIdOfRow, matrix);
  // 25 calls at once: more than one scan holds; thresholds and limits differ per call.
  const calls = Array.from({ length: 25 }, (_, i) => ({
    query: randomUnit(dim, random, matrix.subarray(i * 31 * dim, (i * 31 + 1) * dim), 0.2),
    min: i % 2 === 0 ? 0 : 0.5,
    limit: 1 + (i % 7),
  }));
  const together = await Promise.all(calls.map(({ query, min, limit }) => snapshot.rank(query, min, limit)));
  for (const [i, { query, min, limit }] of calls.entries()) {
    assert.deepEqual(together[i], await snapshot.rank(query, min, limit), `call ${i}`);
  }
  assert.deepEqual(await snapshot.rankAll([], 0, 1), []);
});
