/**
 * Open-set identification on the labelled development set: half of the identities enrolled (every photo but one),
 * probed with the held-back photos (known: should come back as their person) and with every photo of the other
 * half (strangers: should come back with no candidate). FNIR is the share of known probes not returned as their
 * person at rank 1 above the threshold; FPIR the share of strangers given any candidate.
 *
 * A group of the set has 13 persons, but a stranger is compared with every person of a group, so FPIR grows with
 * the group. For larger groups it is computed from the impostor scores (a stranger against one person he is
 * not): with p(t) the share of them at or above threshold t, a stranger compared with N persons gets a candidate
 * with probability 1 − (1 − p(t))^N, taking the N comparisons as independent. p(t) comes from a normal
 * distribution fitted to the impostor scores, because the groups of 1,000 and 10,000 persons need it far beyond
 * the highest impostor score a set of this size can show. In the highest scores observed the fit lies above the
 * observed shares, so the larger groups' FPIR is, if anything, overstated.
 */

export interface LabelledFace {
  file: string;
  identity: string;
  embedding: Float32Array;
}

/** The faces a group ends up with for one enrolment photo (none when refused): the photo itself by default. */
export type Enrolment = (photo: LabelledFace) => LabelledFace[];

/** How one person's enrolled faces give one score against a probe. */
export type PersonScoreRule = 'bestFace' | 'meanOfTop2' | 'meanTemplate';
export const personScoreRules: readonly PersonScoreRule[] = ['bestFace', 'meanOfTop2', 'meanTemplate'];

export interface OpenSetSplit {
  /** Enrolled identity → its enrolment faces. */
  enrolled: Map<string, LabelledFace[]>;
  known: LabelledFace[];
  strangers: LabelledFace[];
}

/** The searches of all splits: the scores a threshold is applied to. */
export interface OpenSetSearches {
  /** Per known probe: its person's score when that person ranks first, else −∞ (missed at any threshold). */
  known: number[];
  /** Per stranger probe: the best person's score. */
  strangers: number[];
  /** Every stranger against every enrolled person: the impostor scores that larger groups are computed from. */
  impostors: number[];
}

export interface OperatingPoint {
  similarity: number;
  fpir: number;
  fnir: number;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** A small seeded generator (mulberry32): the splits are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * `count` splits: each enrols a random half of the identities and holds back one photo of each, a different
 * one from split to split.
 */
export function openSetSplits(faces: readonly LabelledFace[], count: number, seed = 13): OpenSetSplit[] {
  const byIdentity = new Map<string, LabelledFace[]>();
  for (const face of faces) byIdentity.set(face.identity, [...(byIdentity.get(face.identity) ?? []), face]);
  const identities = [...byIdentity.keys()].sort();
  const random = seededRandom(seed);
  const splits: OpenSetSplit[] = [];
  for (let s = 0; s < count; s++) {
    const order = shuffled(identities, random);
    const half = Math.floor(order.length / 2);
    const enrolled = new Map<string, LabelledFace[]>();
    const known: LabelledFace[] = [];
    for (const identity of order.slice(0, half)) {
      const photos = byIdentity.get(identity)!;
      const heldBack = (s + Math.floor(random() * photos.length)) % photos.length;
      known.push(photos[heldBack]!);
      enrolled.set(
        identity,
        photos.filter((_, i) => i !== heldBack),
      );
    }
    const strangers = order.slice(half).flatMap((identity) => byIdentity.get(identity)!);
    splits.push({ enrolled, known, strangers });
  }
  return splits;
}

/** One person's score for a probe under a rule. */
export function personScore(probe: Float32Array, faces: readonly Float32Array[], rule: PersonScoreRule): number {
  if (rule === 'meanTemplate') {
    const mean = new Float32Array(probe.length);
    for (const face of faces) for (let i = 0; i < mean.length; i++) mean[i]! += face[i]!;
    const norm = Math.sqrt(dot(mean, mean));
    return dot(probe, mean) / norm;
  }
  const scores = faces.map((face) => dot(probe, face)).sort((a, b) => b - a);
  const top = rule === 'bestFace' ? 1 : 2;
  const best = scores.slice(0, top);
  return best.reduce((sum, s) => sum + s, 0) / best.length;
}

export function searchAll(
  splits: readonly OpenSetSplit[],
  rule: PersonScoreRule,
  enrolment: Enrolment = (photo) => [photo],
): OpenSetSearches {
  const searches: OpenSetSearches = { known: [], strangers: [], impostors: [] };
  for (const split of splits) {
    const persons = [...split.enrolled.entries()]
      .map(([identity, photos]) => ({ identity, faces: photos.flatMap(enrolment).map((f) => f.embedding) }))
      .filter((person) => person.faces.length > 0);
    const ranked = (probe: LabelledFace) =>
      persons
        .map((person) => ({ identity: person.identity, score: personScore(probe.embedding, person.faces, rule) }))
        .sort((a, b) => b.score - a.score);
    for (const probe of split.known) {
      const [top] = ranked(probe);
      searches.known.push(top?.identity === probe.identity ? top.score : -Infinity);
    }
    for (const probe of split.strangers) {
      const scores = ranked(probe);
      searches.strangers.push(scores[0]?.score ?? -Infinity);
      for (const { score } of scores) searches.impostors.push(score);
    }
  }
  return searches;
}

function shareAtOrAbove(scores: readonly number[], threshold: number): number {
  return scores.filter((s) => s >= threshold).length / scores.length;
}

export function operatingPoint(searches: OpenSetSearches, similarity: number): OperatingPoint {
  return {
    similarity,
    fpir: shareAtOrAbove(searches.strangers, similarity),
    fnir: 1 - shareAtOrAbove(searches.known, similarity),
  };
}

/** FNIR against FPIR at every threshold where one of them changes, strictest last. */
export function openSetCurve(searches: OpenSetSearches): OperatingPoint[] {
  const thresholds = [...new Set([...searches.known, ...searches.strangers].filter(Number.isFinite))].sort(
    (a, b) => a - b,
  );
  return thresholds.map((t) => operatingPoint(searches, t));
}

/** The lowest threshold whose FPIR is at most `fpir`: the fewest known persons missed at that FPIR. */
export function thresholdForFpir(searches: OpenSetSearches, fpir: number): OperatingPoint {
  return openSetCurve(searches).find((point) => point.fpir <= fpir) ?? operatingPoint(searches, Infinity);
}

/**
 * p(t): the chance that a stranger scores at least t against one person he is not, from a normal distribution
 * fitted to the impostor scores (their mean and standard deviation; see the top of the file).
 */
export function impostorTail(impostors: readonly number[]): (threshold: number) => number {
  const mean = impostors.reduce((sum, s) => sum + s, 0) / impostors.length;
  const deviation = Math.sqrt(impostors.reduce((sum, s) => sum + (s - mean) ** 2, 0) / impostors.length);
  return (threshold) => normalTail((threshold - mean) / deviation);
}

/** P(Z ≥ z) for a standard normal Z (complementary error function, Numerical Recipes' erfc, error < 1.2e-7). */
function normalTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const polynomial =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(-x * x + polynomial);
  return (x >= 0 ? erfc : 2 - erfc) / 2;
}

/** FPIR for a group of `persons` at the threshold, from the impostor scores. */
export function fpirForGroup(tail: (threshold: number) => number, persons: number, similarity: number): number {
  return 1 - (1 - tail(similarity)) ** persons;
}

/** The lowest threshold that keeps FPIR for a group of `persons` at or under `fpir` (bisection on the tail). */
export function thresholdForGroup(tail: (threshold: number) => number, persons: number, fpir: number): number {
  let low = -1;
  let high = 1.5;
  for (let step = 0; step < 60; step++) {
    const middle = (low + high) / 2;
    if (fpirForGroup(tail, persons, middle) > fpir) low = middle;
    else high = middle;
  }
  return high;
}
