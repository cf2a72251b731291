/**
 * Find Similar and Group over detected faces: pure functions of L2-normalised vectors (similarity = dot
 * product), so the benchmark (bench/group.bench.ts) measures the very code the store runs.
 */

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export interface RankedFace {
  /** Index into the candidates. */
  index: number;
  similarity: number;
}

/**
 * The candidates at or above `minSimilarity`, most similar first (ties by index), at most `limit` of them.
 * The whole list is scored: at most 1,000 candidates, so a sort is cheaper than any index.
 */
export function rankSimilar(
  query: Float32Array,
  candidates: readonly Float32Array[],
  minSimilarity: number,
  limit: number,
): RankedFace[] {
  const ranked: RankedFace[] = [];
  for (const [index, candidate] of candidates.entries()) {
    const similarity = dot(query, candidate);
    if (similarity >= minSimilarity) ranked.push({ index, similarity });
  }
  ranked.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
  return ranked.slice(0, limit);
}

/**
 * How two clusters' similarity follows from their faces': `single` the most similar pair (connected components
 * of the graph of pairs at the threshold), `average` the mean of all pairs, `complete` the least similar pair.
 */
export type Linkage = 'single' | 'average' | 'complete';

/** The linkage Group uses: chosen by measurement on the labelled development set (docs/models.md). */
export const groupLinkage: Linkage = 'average';

/**
 * Agglomerative clustering: merges the two most similar clusters while their linkage similarity is at least
 * `minSimilarity`. Returns every cluster (singletons too) as ascending indices, largest first, clusters of one
 * size in the order of their first face.
 */
export function clusterFaces(
  vectors: readonly Float32Array[],
  minSimilarity: number,
  linkage: Linkage = groupLinkage,
): number[][] {
  const n = vectors.length;
  const similarity = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = dot(vectors[i]!, vectors[j]!);
      similarity[i * n + j] = s;
      similarity[j * n + i] = s;
    }
  }
  const members: (number[] | undefined)[] = vectors.map((_, i) => [i]);
  const size = new Int32Array(n).fill(1);
  // Each live cluster's most similar other cluster, so a merge costs O(n) instead of a scan of all pairs.
  const nearest = new Int32Array(n).fill(-1);
  const nearestSimilarity = new Float64Array(n).fill(-Infinity);
  const findNearest = (i: number): void => {
    nearest[i] = -1;
    nearestSimilarity[i] = -Infinity;
    for (let k = 0; k < n; k++) {
      if (k === i || !members[k]) continue;
      const s = similarity[i * n + k]!;
      if (s > nearestSimilarity[i]!) {
        nearest[i] = k;
        nearestSimilarity[i] = s;
      }
    }
  };
  for (let i = 0; i < n; i++) findNearest(i);

  for (;;) {
    let a = -1;
    for (let i = 0; i < n; i++) {
      if (members[i] && nearest[i]! >= 0 && (a < 0 || nearestSimilarity[i]! > nearestSimilarity[a]!)) a = i;
    }
    if (a < 0 || nearestSimilarity[a]! < minSimilarity) break;
    const b = nearest[a]!;
    const [keep, gone] = a < b ? [a, b] : [b, a];
    for (let k = 0; k < n; k++) {
      if (k === keep || k === gone || !members[k]) continue;
      const sKeep = similarity[keep * n + k]!;
      const sGone = similarity[gone * n + k]!;
      const merged =
        linkage === 'single'
          ? Math.max(sKeep, sGone)
          : linkage === 'complete'
            ? Math.min(sKeep, sGone)
            : (size[keep]! * sKeep + size[gone]! * sGone) / (size[keep]! + size[gone]!);
      similarity[keep * n + k] = merged;
      similarity[k * n + keep] = merged;
    }
    members[keep]!.push(...members[gone]!);
    members[gone] = undefined;
    size[keep] = size[keep]! + size[gone]!;
    for (let k = 0; k < n; k++) {
      if (!members[k]) continue;
      if (k === keep || nearest[k] === keep || nearest[k] === gone) findNearest(k);
      else if (similarity[k * n + keep]! > nearestSimilarity[k]!) {
        nearest[k] = keep;
        nearestSimilarity[k] = similarity[k * n + keep]!;
      }
    }
  }
  return members
    .filter((cluster): cluster is number[] => cluster !== undefined)
    .map((cluster) => cluster.sort((x, y) => x - y))
    .sort((x, y) => y.length - x.length || x[0]! - y[0]!);
}

export interface FaceGroups {
  /** Clusters of two faces or more, largest first, as indices. */
  groups: number[][];
  /** Faces similar to no other face, ascending. */
  messyGroup: number[];
}

/** Azure's Group: clusters of two or more faces, and the faces that found no counterpart in a messyGroup. */
export function groupFaces(
  vectors: readonly Float32Array[],
  minSimilarity: number,
  linkage: Linkage = groupLinkage,
): FaceGroups {
  const clusters = clusterFaces(vectors, minSimilarity, linkage);
  return {
    groups: clusters.filter((cluster) => cluster.length > 1),
    messyGroup: clusters
      .filter((cluster) => cluster.length === 1)
      .map(([index]) => index!)
      .sort((x, y) => x - y),
  };
}
