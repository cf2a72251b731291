/**
 * The open-set figures of one recognition model from its face vectors (bench/open-set.ts has the protocol):
 * FNIR and FPIR at verify's threshold, at the default identify threshold and at every hundredth of confidence,
 * the threshold a target FPIR needs in larger groups, the person-score rules compared, and what low-quality
 * enrolment faces do.
 */
import {
  confidenceOf,
  identifyConfidenceThresholds,
  similarityFor,
  verifyConfidenceThreshold,
  type RecognitionModel,
} from '#contracts';
import type { QualityForRecognition } from '../apps/gateway/src/detect/face-quality';
import {
  fpirForGroup,
  impostorTail,
  openSetCurve,
  openSetSplits,
  operatingPoint,
  personScoreRules,
  searchAll,
  thresholdForFpir,
  thresholdForGroup,
  type Enrolment,
  type LabelledFace,
  type OpenSetSearches,
  type OpenSetSplit,
  type OperatingPoint,
} from './open-set';

function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Open-set protocol: splits of the identities into enrolled and strangers, and the larger groups computed. */
export const openSetSplitCount = 20;
const largerGroups = [100, 1_000, 10_000];
const plottedGroups = [100, 1_000];
const targetFpir = 0.01;
/** Defaults are set in hundredths of confidence. */
const confidenceSteps = [...Array.from({ length: 50 }, (_, i) => (50 + i) / 100), 0.995, 0.999];

/**
 * The curve's corners: the lowest threshold (the highest FPIR), then, for each FNIR it steps up to, the point with
 * the lowest FPIR.
 */
function curveCorners(searches: OpenSetSearches): OperatingPoint[] {
  const curve = openSetCurve(searches);
  const corners = new Map<number, OperatingPoint>();
  for (const point of curve) {
    const kept = corners.get(point.fnir);
    if (!kept || point.fpir < kept.fpir) corners.set(point.fnir, point);
  }
  return [...curve.slice(0, 1), ...[...corners.values()].sort((a, b) => a.fnir - b.fnir)];
}

export interface DegradedCopies {
  blurred: Map<string, Float32Array>;
  small: Map<string, Float32Array>;
  qualities: Map<Float32Array, QualityForRecognition>;
}

export function evaluateOpenSet(
  model: RecognitionModel,
  photos: { file: string; identity: string }[],
  embeddings: Map<string, Float32Array>,
  copies?: DegradedCopies,
) {
  const faces: LabelledFace[] = photos
    .filter((photo) => embeddings.has(photo.file))
    .map((photo) => ({ ...photo, embedding: embeddings.get(photo.file)! }));
  const splits = openSetSplits(faces, openSetSplitCount);
  const searches = searchAll(splits, 'bestFace');
  const tail = impostorTail(searches.impostors);
  const enrolledPersons = splits[0]!.enrolled.size;
  const confidence = (similarity: number) => confidenceOf(similarity, model);
  const at = (searched: OpenSetSearches, threshold: number) => {
    const similarity = similarityFor(threshold, model);
    const point = operatingPoint(searched, similarity);
    return { confidence: threshold, similarity: round(similarity), fpir: round(point.fpir), fnir: round(point.fnir) };
  };
  const withLargerGroups = (threshold: number) => {
    const similarity = similarityFor(threshold, model);
    const computed = [enrolledPersons, ...largerGroups].map((persons) => [
      persons,
      round(fpirForGroup(tail, persons, similarity)),
    ]);
    return { ...at(searches, threshold), fpirComputedForGroupsOf: Object.fromEntries(computed) };
  };

  // Person scores: each rule at its own threshold for the target FPIR, measured and computed for 100 persons.
  const personScores = Object.fromEntries(
    personScoreRules.map((rule) => {
      const ruled = searchAll(splits, rule);
      const measured = thresholdForFpir(ruled, targetFpir);
      const forHundred = thresholdForGroup(impostorTail(ruled.impostors), 100, targetFpir);
      return [
        rule,
        {
          fnirAtFpir1Percent: round(measured.fnir),
          fnirAtNoStrangerMatched: round(thresholdForFpir(ruled, 0).fnir),
          fnirAtFpir1PercentComputedFor100Persons: round(operatingPoint(ruled, forHundred).fnir),
        },
      ];
    }),
  );

  const defaultThreshold = identifyConfidenceThresholds[model];
  return {
    protocol: {
      splits: openSetSplitCount,
      enrolledPersons,
      knownSearches: searches.known.length,
      strangerSearches: searches.strangers.length,
      impostorScores: searches.impostors.length,
    },
    atVerifyThreshold: withLargerGroups(verifyConfidenceThreshold),
    atDefaultThreshold: withLargerGroups(defaultThreshold),
    // The rule the default follows; a default that differs from it is stale.
    lowestConfidenceForFpir1Percent: confidenceSteps.find(
      (step) => operatingPoint(searches, similarityFor(step, model)).fpir <= targetFpir,
    ),
    forFpir1PercentInGroupsOf: Object.fromEntries(
      largerGroups.map((persons) => {
        const similarity = thresholdForGroup(tail, persons, targetFpir);
        return [
          persons,
          { confidence: confidence(similarity), fnir: round(operatingPoint(searches, similarity).fnir) },
        ];
      }),
    ),
    // Every confidence a caller might choose, so that any threshold's figures can be read off.
    byConfidence: confidenceSteps.map((step) => {
      const point = operatingPoint(searches, similarityFor(step, model));
      return { confidence: step, fpir: round(point.fpir), fnir: round(point.fnir) };
    }),
    curve: curveCorners(searches).map((point) => ({
      confidence: confidence(point.similarity),
      fpir: round(point.fpir),
      fnir: round(point.fnir),
    })),
    personScores,
    ...(copies
      ? { enrolmentQuality: enrolmentQuality(splits, copies, (searched) => at(searched, defaultThreshold)) }
      : {}),
    plotted: {
      curve: curveCorners(searches),
      // The same thresholds with FPIR computed for larger groups: how the curve moves as the group grows.
      computed: plottedGroups.map((persons) => ({
        persons,
        curve: curveCorners(searches).map((point) => ({
          ...point,
          fpir: fpirForGroup(tail, persons, point.similarity),
        })),
      })),
      defaultPoint: operatingPoint(searches, similarityFor(defaultThreshold, model)),
    },
  };
}

/**
 * What low-quality enrolment faces do: a blurred and a shrunk copy of every enrolment photo enrolled as well, or
 * the blurred copy instead of the photo; each as accepted, and with low-quality faces refused at add-face time.
 */
function enrolmentQuality(
  splits: OpenSetSplit[],
  copies: DegradedCopies,
  at: (searches: OpenSetSearches) => { fpir: number; fnir: number },
) {
  const copiesOf = (photo: LabelledFace) =>
    [copies.blurred.get(photo.file), copies.small.get(photo.file)]
      .filter((embedding): embedding is Float32Array => embedding !== undefined)
      .map((embedding) => ({ ...photo, embedding }));
  const notLow = (face: LabelledFace) => copies.qualities.get(face.embedding) !== 'low';
  const scenario = (enrolment: Enrolment) => at(searchAll(splits, 'bestFace', enrolment));
  const copyQualities = [...copies.qualities.values()];
  return {
    copiesFound: copyQualities.length,
    copiesOfLowQuality: copyQualities.filter((quality) => quality === 'low').length,
    asEnrolled: scenario((photo) => [photo]),
    withDegradedCopies: scenario((photo) => [photo, ...copiesOf(photo)]),
    withDegradedCopiesLowRefused: scenario((photo) => [photo, ...copiesOf(photo).filter(notLow)]),
    blurredInstead: scenario((photo) => copiesOf(photo).slice(0, 1)),
    blurredInsteadLowRefused: scenario((photo) => copiesOf(photo).slice(0, 1).filter(notLow)),
  };
}
