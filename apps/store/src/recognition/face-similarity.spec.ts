import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterFaces, dot, groupFaces, rankSimilar, type Linkage } from './face-similarity';

/** A unit vector in the plane at `degrees`: two of them have the cosine of their angle as similarity. */
function at(degrees: number): Float32Array {
  const radians = (degrees * Math.PI) / 180;
  return Float32Array.of(Math.cos(radians), Math.sin(radians));
}

function randomUnit(random: () => number, dimension: number): Float32Array {
  const v = Float32Array.from({ length: dimension }, () => random() * 2 - 1);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

/** The textbook algorithm: every step recomputes every pair of clusters from the faces. */
function naiveClusters(vectors: Float32Array[], minSimilarity: number, linkage: Linkage): number[][] {
  let clusters = vectors.map((_, i) => [i]);
  const linked = (a: number[], b: number[]) => {
    const all = a.flatMap((i) => b.map((j) => dot(vectors[i]!, vectors[j]!)));
    if (linkage === 'single') return Math.max(...all);
    if (linkage === 'complete') return Math.min(...all);
    return all.reduce((sum, s) => sum + s, 0) / all.length;
  };
  for (;;) {
    let best: [number, number, number] | undefined;
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        const s = linked(clusters[a]!, clusters[b]!);
        if (!best || s > best[2]) best = [a, b, s];
      }
    }
    if (!best || best[2] < minSimilarity) break;
    const [a, b] = best;
    const merged = [...clusters[a]!, ...clusters[b]!];
    clusters = clusters.filter((_, i) => i !== a && i !== b).concat([merged]);
  }
  return clusters.map((c) => c.sort((x, y) => x - y)).sort((x, y) => y.length - x.length || x[0]! - y[0]!);
}

test('rankSimilar: most similar first, at or above the minimum, at most the limit', () => {
  const query = at(0);
  const candidates = [at(60), at(10), at(30), at(90), at(10)];
  assert.deepEqual(
    rankSimilar(query, candidates, -Infinity, 10).map((r) => r.index),
    [1, 4, 2, 0, 3],
    'ties keep the order given',
  );
  assert.deepEqual(
    rankSimilar(query, candidates, Math.cos((45 * Math.PI) / 180), 10).map((r) => r.index),
    [1, 4, 2],
  );
  assert.deepEqual(
    rankSimilar(query, candidates, -Infinity, 2).map((r) => r.index),
    [1, 4],
  );
  assert.ok(Math.abs(rankSimilar(query, candidates, -Infinity, 1)[0]!.similarity - Math.cos(Math.PI / 18)) < 1e-6);
  assert.deepEqual(rankSimilar(query, [], -Infinity, 5), []);
});

test('a chain of similar faces: single linkage joins it, average and complete linkage do not', () => {
  // a~b at cosine 0.87, b~c at 0.79, a~c at 0.37.
  const chain = [at(0), at(30), at(68)];
  assert.deepEqual(clusterFaces(chain, 0.7, 'single'), [[0, 1, 2]]);
  assert.deepEqual(clusterFaces(chain, 0.7, 'average'), [[0, 1], [2]]);
  assert.deepEqual(clusterFaces(chain, 0.7, 'complete'), [[0, 1], [2]]);
});

test('groupFaces: groups of two or more, largest first; faces like no other in messyGroup', () => {
  const faces = [at(0), at(120), at(2), at(240), at(121), at(1), at(60)];
  assert.deepEqual(groupFaces(faces, 0.99), {
    groups: [
      [0, 2, 5],
      [1, 4],
    ],
    messyGroup: [3, 6],
  });
  assert.deepEqual(groupFaces([at(0), at(90)], 0.5), { groups: [], messyGroup: [0, 1] });
  assert.deepEqual(groupFaces([at(0), at(1)], 0.5), { groups: [[0, 1]], messyGroup: [] });
  assert.deepEqual(groupFaces([], 0.5), { groups: [], messyGroup: [] });
});

test('clusterFaces agrees with the textbook algorithm on random faces, for every linkage', () => {
  const random = lcg(7);
  for (let round = 0; round < 20; round++) {
    // Faces around a few centres, so that clusters of several sizes form.
    const centres = Array.from({ length: 4 }, () => randomUnit(random, 8));
    const faces = Array.from({ length: 30 }, () => {
      const centre = centres[Math.floor(random() * centres.length)]!;
      const noise = randomUnit(random, 8);
      const v = centre.map((x, i) => x + 0.6 * noise[i]!);
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    });
    for (const linkage of ['single', 'average', 'complete'] as const) {
      for (const minSimilarity of [0.3, 0.6, 0.8]) {
        assert.deepEqual(
          clusterFaces(faces, minSimilarity, linkage),
          naiveClusters(faces, minSimilarity, linkage),
          `${linkage} at ${minSimilarity}, round ${round}`,
        );
      }
    }
  }
});

test('clusterFaces merges the most faces Group takes, 1,000 of 128 dimensions, into one cluster', () => {
  const random = lcg(11);
  const centres = Array.from({ length: 30 }, () => randomUnit(random, 128));
  const faces = Array.from({ length: 1000 }, () => {
    const centre = centres[Math.floor(random() * centres.length)]!;
    const noise = randomUnit(random, 128);
    return centre.map((x, i) => x + 0.7 * noise[i]!);
  });
  // Merging every face into one cluster is the most work, 999 merges (its time is in bench:group).
  assert.equal(clusterFaces(faces, -Infinity).length, 1);
});
