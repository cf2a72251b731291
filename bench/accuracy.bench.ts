/**
 * `npm run bench:accuracy`: recognition accuracy on the labelled development set (../shared/testdata/faces):
 * detection rate, verification on pairs.json (ROC AUC, accuracy at the calibrated threshold and its 10-fold
 * cross-validated estimate, true-accept rate at 0.1 % false accepts), leave-one-out identification (top-1),
 * the similarity → confidence curve fitted on the pairs, and verification with one photo of each pair rolled
 * by 30 and by 45 degrees. Writes bench/results/accuracy.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DetectionModels, RecognitionModels, type DetectionModel, type RecognitionModel } from '#contracts';
import { ExtractionPool } from '../apps/detector/src/extraction/extraction-pool';
import { RecognitionModelSpecs } from '../apps/detector/src/models/model-registry';
import { qualityForRecognition, type QualityForRecognition } from '../apps/gateway/src/detect/face-quality';
import { facesDir, repoRoot } from '../test/support/stack';
import { photoVariants } from '../test/support/photo-variants';
import { writeBenchResult } from './bench-results';
import { evaluateOpenSet, openSetSplitCount, type DegradedCopies } from './open-set-figures';
import { openSetPlot, type PlottedModel } from './open-set-plot';

/** The faces are found with this model (BENCH_DETECTION_MODEL, default detection_01). */
const detectionModel = (process.env.BENCH_DETECTION_MODEL ?? 'detection_01') as DetectionModel;
if (!DetectionModels.includes(detectionModel)) throw new Error(`Unknown detection model ${detectionModel}`);

interface Photo {
  file: string;
  identity: string;
}

interface Pair {
  a: string;
  b: string;
  same: boolean;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Area under the ROC curve: the chance that a random same pair scores above a random different pair. */
function rocAuc(same: number[], different: number[]): number {
  let wins = 0;
  for (const s of same) for (const d of different) wins += s > d ? 1 : s === d ? 0.5 : 0;
  return wins / (same.length * different.length);
}

interface Scored {
  same: boolean;
  score: number;
}

/**
 * The similarity threshold that gets the most pairs right, as LFW's protocol picks it: halfway between the two
 * neighbouring scores of the best split (where several splits tie, the middle one of them).
 */
function bestAccuracyThreshold(scored: Scored[]): number {
  const sorted = [...scored].sort((a, b) => a.score - b.score);
  // A threshold just under sorted[i] accepts sorted[i..]: right are the different pairs below i and the same from i.
  let right = sorted.filter((p) => p.same).length;
  let mostRight = right;
  let bestSplits = [0];
  for (let i = 1; i <= sorted.length; i++) {
    right += sorted[i - 1]!.same ? -1 : 1;
    if (i < sorted.length && sorted[i]!.score === sorted[i - 1]!.score) continue;
    if (right > mostRight) {
      mostRight = right;
      bestSplits = [i];
    } else if (right === mostRight) bestSplits.push(i);
  }
  const split = bestSplits[Math.floor((bestSplits.length - 1) / 2)]!;
  const below = sorted[split - 1]?.score ?? sorted[0]!.score - 0.01;
  const above = sorted[split]?.score ?? sorted[sorted.length - 1]!.score + 0.01;
  return (below + above) / 2;
}

/**
 * confidence = 1 / (1 + exp(-(slope * s + intercept))), centred on the best-accuracy threshold so that
 * confidence 0.5 is that threshold; the slope is the maximum-likelihood fit with that centre (Newton's method).
 */
function fitConfidenceCurve(scored: Scored[]): { slope: number; intercept: number } {
  const centre = bestAccuracyThreshold(scored);
  let slope = 10;
  for (let step = 0; step < 100; step++) {
    let gradient = 0;
    let curvature = 0;
    for (const { same, score } of scored) {
      const offset = score - centre;
      const p = 1 / (1 + Math.exp(-slope * offset));
      gradient += (p - (same ? 1 : 0)) * offset;
      curvature += p * (1 - p) * offset * offset;
    }
    const change = gradient / curvature;
    slope -= change;
    if (Math.abs(change) < 1e-9) break;
  }
  return { slope: round(slope, 4), intercept: round(-slope * centre, 4) };
}

function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

async function embeddingsFor(
  model: RecognitionModel,
  photos: Photo[],
  pool: ExtractionPool,
  variant: (photo: Buffer) => Promise<Buffer> = (photo) => Promise.resolve(photo),
  findWith: DetectionModel = detectionModel,
) {
  const embeddings = new Map<string, Float32Array>();
  const qualities = new Map<string, QualityForRecognition>();
  let detectedOne = 0;
  await Promise.all(
    photos.map(async (photo) => {
      const reply = await pool.extract({
        image: await variant(readFileSync(path.join(facesDir, photo.file))),
        detectionModel: findWith,
        recognitionModel: model,
        purpose: 'detect',
      });
      if (reply.faces.length === 1) detectedOne++;
      if (reply.faces[0]) {
        embeddings.set(photo.file, reply.faces[0].embedding);
        qualities.set(photo.file, qualityForRecognition(reply.faces[0]));
      }
    }),
  );
  return { embeddings, qualities, detectedOne };
}

function evaluate(photos: Photo[], pairs: Pair[], embeddings: Map<string, Float32Array>) {
  const scored = pairs
    .filter((p) => embeddings.has(p.a) && embeddings.has(p.b))
    .map((p) => ({ ...p, score: dot(embeddings.get(p.a)!, embeddings.get(p.b)!) }));
  const same = scored.filter((p) => p.same).map((p) => p.score);
  const different = scored.filter((p) => !p.same).map((p) => p.score);
  const curve = fitConfidenceCurve(scored);
  const threshold = -curve.intercept / curve.slope;
  const correct = scored.filter((p) => p.score >= threshold === p.same).length;
  const sortedDifferent = [...different].sort((a, b) => b - a);
  // Strictest threshold that keeps false accepts at or under 0.1 % of the different pairs.
  const allowedFalseAccepts = Math.floor(different.length * 0.001);
  const farThreshold = sortedDifferent[allowedFalseAccepts] ?? -1;
  const trueAccepts = same.filter((s) => s > farThreshold).length;

  // Leave-one-out identification: each photo against all others, persons ranked by their best face.
  let top1 = 0;
  const probes = photos.filter((p) => embeddings.has(p.file));
  for (const probe of probes) {
    const best = new Map<string, number>();
    for (const other of probes) {
      if (other.file === probe.file) continue;
      const s = dot(embeddings.get(probe.file)!, embeddings.get(other.file)!);
      best.set(other.identity, Math.max(best.get(other.identity) ?? -1, s));
    }
    const ranked = [...best.entries()].sort((a, b) => b[1] - a[1]);
    if (ranked[0]?.[0] === probe.identity) top1++;
  }
  return {
    pairs: scored.length,
    rocAuc: round(rocAuc(same, different)),
    confidenceCurve: curve,
    calibratedSimilarityThreshold: round(threshold),
    verificationAccuracy: round(correct / scored.length),
    verificationAccuracyTenFold: round(tenFoldAccuracy(scored)),
    trueAcceptRateAtFar0001: round(trueAccepts / same.length),
    // Where the errors come from: a photo in many pairs can dominate them.
    wrongPairs: scored
      .filter((p) => p.score >= threshold !== p.same)
      .map(({ a, b, same, score }) => ({ a, b, same, similarity: round(score) })),
    identificationTop1: round(top1 / probes.length),
    identificationProbes: probes.length,
    similarity: {
      sameMedian: round(median(same)),
      sameMin: round(Math.min(...same)),
      differentMedian: round(median(different)),
      differentMax: round(Math.max(...different)),
    },
  };
}

/**
 * The LFW protocol's estimate of how the calibrated threshold generalises: the pairs in 10 folds (every 10th
 * pair), the threshold chosen on 9 and the accuracy counted on the 10th, summed over the folds.
 */
function tenFoldAccuracy(scored: Scored[]): number {
  let correct = 0;
  for (let fold = 0; fold < 10; fold++) {
    const threshold = bestAccuracyThreshold(scored.filter((_, i) => i % 10 !== fold));
    correct += scored.filter((p, i) => i % 10 === fold && p.score >= threshold === p.same).length;
  }
  return correct / scored.length;
}

/**
 * Verification when the second photo of each pair is rolled by 30 or 45 degrees (pairs whose rolled photo had
 * a face found), at the threshold calibrated on the upright pairs: how much a tilted head costs.
 */
function evaluateRolled(
  pairs: Pair[],
  upright: Map<string, Float32Array>,
  rolled: Map<string, Float32Array>,
  threshold: number,
) {
  const scored = pairs
    .filter((p) => upright.has(p.a) && rolled.has(p.b))
    .map((p) => ({ same: p.same, score: dot(upright.get(p.a)!, rolled.get(p.b)!) }));
  const same = scored.filter((p) => p.same).map((p) => p.score);
  const different = scored.filter((p) => !p.same).map((p) => p.score);
  return {
    pairs: scored.length,
    rocAuc: round(rocAuc(same, different)),
    verificationAccuracy: round(scored.filter((p) => p.score >= threshold === p.same).length / scored.length),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * A blurred and a shrunk copy of every photo, found with BlazeFace (which finds most of those SSD misses), with
 * the quality the gateway gives each face. Measured with the first model only: it is the enrolment photos'
 * quality that is in question, not the network's.
 */
async function degradedCopies(model: RecognitionModel, photos: Photo[], pool: ExtractionPool): Promise<DegradedCopies> {
  const blurred = await embeddingsFor(model, photos, pool, photoVariants.blurred, 'detection_02');
  const small = await embeddingsFor(model, photos, pool, photoVariants.small, 'detection_02');
  const qualities = new Map<Float32Array, QualityForRecognition>();
  for (const copies of [blurred, small]) {
    for (const [file, embedding] of copies.embeddings) qualities.set(embedding, copies.qualities.get(file)!);
  }
  return { blurred: blurred.embeddings, small: small.embeddings, qualities };
}

async function main(): Promise<void> {
  const photos = JSON.parse(readFileSync(path.join(facesDir, 'manifest.json'), 'utf8')) as Photo[];
  const pairs = JSON.parse(readFileSync(path.join(facesDir, 'pairs.json'), 'utf8')) as Pair[];
  const pool = await ExtractionPool.start({ workers: availableParallelism(), backend: 'auto' });
  const models: Record<string, unknown> = {};
  const byNet = new Map<string, Record<string, unknown>>();
  const plotted: PlottedModel[] = [];
  try {
    for (const model of RecognitionModels) {
      const spec = RecognitionModelSpecs[model];
      const netKey = `${spec.sourcePackage}:${spec.net}`;
      const recipeKey = JSON.stringify([netKey, spec.views]);
      // Names that share a network and views share its figures; the recipe runs once.
      if (!byNet.has(recipeKey)) {
        const started = performance.now();
        const { embeddings, detectedOne } = await embeddingsFor(model, photos, pool);
        const photosPerSecond = round(photos.length / ((performance.now() - started) / 1000), 2);
        const upright = evaluate(photos, pairs, embeddings);
        const rolled30 = await embeddingsFor(model, photos, pool, photoVariants.rolled30);
        const rolled45 = await embeddingsFor(model, photos, pool, photoVariants.rolled45);
        const { plotted: curve, ...openSet } = evaluateOpenSet(
          model,
          photos,
          embeddings,
          plotted.length === 0 ? await degradedCopies(model, photos, pool) : undefined,
        );
        plotted.push({ name: model, ...curve });
        byNet.set(recipeKey, {
          network: netKey,
          views: spec.views,
          dimension: spec.dimension,
          photosPerSecond,
          photos: photos.length,
          detectionRate: round(detectedOne / photos.length),
          ...upright,
          rolled30: evaluateRolled(pairs, embeddings, rolled30.embeddings, upright.calibratedSimilarityThreshold),
          rolled45: evaluateRolled(pairs, embeddings, rolled45.embeddings, upright.calibratedSimilarityThreshold),
          openSet,
        });
      }
      models[model] = byNet.get(recipeKey);
      console.log(model, JSON.stringify(models[model]));
    }
  } finally {
    await pool.close();
  }
  const openSetDefinition =
    `open-set identification: ${openSetSplitCount} splits of the 26 identities, 13 enrolled with every photo ` +
    'but one (their held-back photos are the known searches) and every photo of the other 13 searched as ' +
    'strangers; FNIR: known searches not answered with their person first at or above the threshold; FPIR: ' +
    'strangers given any candidate; larger groups computed from a normal fit of the impostor scores';
  if (detectionModel === 'detection_01') {
    const caption = `Open-set identify on the development set (${detectionModel})`;
    writeFileSync(path.join(repoRoot, 'docs', 'open-set.svg'), openSetPlot(plotted, caption));
  }
  writeBenchResult(detectionModel === 'detection_01' ? 'accuracy.json' : `accuracy-${detectionModel}.json`, {
    dataset: 'shared/testdata/faces: 26 identities, 144 photos, 666 pairs (333 same)',
    detectionModel,
    openSetDefinition,
    models,
  });
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
