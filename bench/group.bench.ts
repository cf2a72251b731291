/**
 * `npm run bench:group`: how Group's clustering sorts the labelled development set (../shared/testdata/faces),
 * to choose its method and each recognition model's threshold. Every linkage of the store's clusterFaces
 * (single: connected components of the pairs at the threshold; average; complete) at confidence thresholds
 * from 0.05 to 0.99, on two protocols:
 * - `requests`: 200 seeded Group requests, each all the photos of 3 to 6 identities plus 0 to 3 strangers (one
 *   photo of other identities, which belong in messyGroup);
 * - `all`: the 144 photos of the 26 identities in one request.
 * Figures: pairwise precision and recall (pairs of faces put in one group that show one person; pairs of one
 * person put in one group), purity and completeness, strangers put in messyGroup and faces of the persons
 * present put there. Writes bench/results/group.json.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { RecognitionModels, similarityFor, type RecognitionModel } from '#contracts';
import { ExtractionPool } from '../apps/detector/src/extraction/extraction-pool';
import { RecognitionModelSpecs } from '../apps/detector/src/models/model-registry';
import { groupFaces, type Linkage } from '../apps/store/src/recognition/face-similarity';
import { facesDir } from '../test/support/stack';
import { writeBenchResult } from './bench-results';
import { seededRandom, shuffled } from './open-set';

interface Photo {
  file: string;
  identity: string;
}

interface Face {
  file: string;
  identity: string;
  embedding: Float32Array;
}

const linkages: readonly Linkage[] = ['single', 'average', 'complete'];
const confidences = [...Array.from({ length: 19 }, (_, i) => round((i + 1) * 0.05, 2)), 0.96, 0.97, 0.98, 0.99].sort(
  (a, b) => a - b,
);
const requestCount = 200;

function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The seeded Group requests: the photos of 3-6 identities and one photo each of 0-3 others. */
function requests(faces: readonly Face[], count: number): Face[][] {
  const byIdentity = new Map<string, Face[]>();
  for (const face of faces) byIdentity.set(face.identity, [...(byIdentity.get(face.identity) ?? []), face]);
  const identities = [...byIdentity.keys()].sort();
  const random = seededRandom(29);
  return Array.from({ length: count }, () => {
    const order = shuffled(identities, random);
    const present = 3 + Math.floor(random() * 4);
    const strangers = Math.floor(random() * 4);
    const request = order.slice(0, present).flatMap((identity) => byIdentity.get(identity)!);
    for (const identity of order.slice(present, present + strangers)) {
      const photos = byIdentity.get(identity)!;
      request.push(photos[Math.floor(random() * photos.length)]!);
    }
    return shuffled(request, random);
  });
}

interface Tally {
  pairsGrouped: number;
  pairsGroupedSame: number;
  pairsSame: number;
  groupedFaces: number;
  groupedMajority: number;
  personFaces: number;
  personLargestShare: number;
  personFacesInMessy: number;
  strangers: number;
  strangersInMessy: number;
}

function emptyTally(): Tally {
  return {
    pairsGrouped: 0,
    pairsGroupedSame: 0,
    pairsSame: 0,
    groupedFaces: 0,
    groupedMajority: 0,
    personFaces: 0,
    personLargestShare: 0,
    personFacesInMessy: 0,
    strangers: 0,
    strangersInMessy: 0,
  };
}

const pairs = (n: number) => (n * (n - 1)) / 2;

function countsBy<T>(items: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** Adds one request's grouping to the tally; an identity with one face in the request is a stranger. */
function score(tally: Tally, request: readonly Face[], groups: number[][], messy: number[]): void {
  const inRequest = countsBy(request.map((face) => face.identity));
  for (const group of groups) {
    const counts = countsBy(group.map((i) => request[i]!.identity));
    tally.pairsGrouped += pairs(group.length);
    for (const n of counts.values()) tally.pairsGroupedSame += pairs(n);
    tally.groupedFaces += group.length;
    tally.groupedMajority += Math.max(...counts.values());
  }
  for (const [identity, n] of inRequest) {
    if (n === 1) {
      tally.strangers++;
      if (messy.some((i) => request[i]!.identity === identity)) tally.strangersInMessy++;
      continue;
    }
    tally.pairsSame += pairs(n);
    tally.personFaces += n;
    tally.personLargestShare += Math.max(
      1,
      ...groups.map((group) => group.filter((i) => request[i]!.identity === identity).length),
    );
    tally.personFacesInMessy += messy.filter((i) => request[i]!.identity === identity).length;
  }
}

function figures(tally: Tally) {
  const precision = tally.pairsGrouped === 0 ? 1 : tally.pairsGroupedSame / tally.pairsGrouped;
  const recall = tally.pairsGroupedSame / tally.pairsSame;
  return {
    pairwisePrecision: round(precision),
    pairwiseRecall: round(recall),
    pairwiseF1: round((2 * precision * recall) / (precision + recall || 1)),
    purity: round(tally.groupedFaces === 0 ? 1 : tally.groupedMajority / tally.groupedFaces),
    completeness: round(tally.personLargestShare / tally.personFaces),
    strangers: tally.strangers,
    strangersInMessy: tally.strangers === 0 ? null : round(tally.strangersInMessy / tally.strangers),
    personFacesInMessy: round(tally.personFacesInMessy / tally.personFaces),
  };
}

type Figures = ReturnType<typeof figures>;

function evaluate(model: RecognitionModel, faces: readonly Face[]) {
  const drawn = requests(faces, requestCount);
  const curves: Record<string, { confidence: number; requests: Figures; all: Figures }[]> = {};
  const best: Record<string, { confidence: number; requests: Figures; all: Figures; messyOfAll: string[] }> = {};
  for (const linkage of linkages) {
    curves[linkage] = confidences.map((confidence) => {
      const minSimilarity = similarityFor(confidence, model);
      const onRequests = emptyTally();
      for (const request of drawn) {
        const { groups, messyGroup } = groupFaces(
          request.map((face) => face.embedding),
          minSimilarity,
          linkage,
        );
        score(onRequests, request, groups, messyGroup);
      }
      const onAll = emptyTally();
      const { groups, messyGroup } = groupFaces(
        faces.map((face) => face.embedding),
        minSimilarity,
        linkage,
      );
      score(onAll, faces, groups, messyGroup);
      return { confidence, requests: figures(onRequests), all: figures(onAll) };
    });
    // The threshold with the best pairwise F1 on the requests; ties go to the stricter one.
    const chosen = curves[linkage].reduce((a, b) => (b.requests.pairwiseF1 >= a.requests.pairwiseF1 ? b : a));
    const { messyGroup } = groupFaces(
      faces.map((face) => face.embedding),
      similarityFor(chosen.confidence, model),
      linkage,
    );
    best[linkage] = { ...chosen, messyOfAll: messyGroup.map((i) => faces[i]!.file) };
  }
  return { best, curves };
}

async function main(): Promise<void> {
  const photos = JSON.parse(readFileSync(path.join(facesDir, 'manifest.json'), 'utf8')) as Photo[];
  const pool = await ExtractionPool.start({ workers: availableParallelism(), backend: 'auto' });
  const models: Record<string, unknown> = {};
  const byRecipe = new Map<string, unknown>();
  try {
    for (const model of RecognitionModels) {
      const spec = RecognitionModelSpecs[model];
      const recipe = JSON.stringify([spec.sourcePackage, spec.net, spec.views]);
      if (!byRecipe.has(recipe)) {
        const faces = await Promise.all(
          photos.map(async (photo) => {
            const reply = await pool.extract({
              image: readFileSync(path.join(facesDir, photo.file)),
              detectionModel: 'detection_01',
              recognitionModel: model,
              purpose: 'detect',
            });
            return reply.faces[0] && { ...photo, embedding: reply.faces[0].embedding };
          }),
        );
        byRecipe.set(
          recipe,
          evaluate(
            model,
            faces.filter((face): face is Face => face !== undefined),
          ),
        );
      }
      models[model] = byRecipe.get(recipe);
      const { best } = models[model] as ReturnType<typeof evaluate>;
      for (const linkage of linkages) console.log(model, linkage, JSON.stringify(best[linkage]));
    }
  } finally {
    await pool.close();
  }
  writeBenchResult('group.json', {
    dataset: 'shared/testdata/faces: 26 identities, 144 photos',
    detectionModel: 'detection_01',
    protocol:
      `${requestCount} seeded Group requests (all photos of 3-6 identities plus one photo each of 0-3 other ` +
      'identities, the strangers, which belong in messyGroup) and one request of all 144 photos; each linkage ' +
      'at confidence thresholds 0.05-0.99; best: the highest pairwise F1 on the requests',
    models,
  });
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
