/**
 * Similarity of two L2-normalised face vectors (their dot product, in [-1, 1]) → confidence in [0, 1] that
 * they show the same person. A logistic curve fitted on the labelled development set's 666 pairs
 * (`npm run bench:accuracy`, docs/models.md): centred so that confidence 0.5 is the threshold with the best
 * accuracy there, its slope the maximum-likelihood fit with that centre.
 */
import type { RecognitionModel } from './models';

export interface ConfidenceCurve {
  slope: number;
  intercept: number;
}

/** One curve per recognition model: each model's similarities spread differently. */
export const ConfidenceCurves: Readonly<Record<RecognitionModel, ConfidenceCurve>> = {
  recognition_01: { slope: 105.3483, intercept: -95.7449 },
  recognition_02: { slope: 114.3502, intercept: -105.2665 },
  recognition_03: { slope: 111.2212, intercept: -102.706 },
  recognition_04: { slope: 120.903, intercept: -112.4656 },
};

export function confidenceOf(similarity: number, model: RecognitionModel): number {
  const curve = ConfidenceCurves[model];
  const confidence = 1 / (1 + Math.exp(-(curve.slope * similarity + curve.intercept)));
  return Math.round(confidence * 1e5) / 1e5;
}

/** The similarity at which the confidence reaches `confidence` (the curve's inverse), for filtering early. */
export function similarityFor(confidence: number, model: RecognitionModel): number {
  const curve = ConfidenceCurves[model];
  if (confidence <= 0) return -Infinity;
  if (confidence >= 1) return Infinity;
  return (Math.log(confidence / (1 - confidence)) - curve.intercept) / curve.slope;
}

/** Verify answers isIdentical when the confidence reaches this: the most accurate split of the pairs. */
export const verifyConfidenceThreshold = 0.5;

/**
 * Identify's confidenceThreshold when the caller gives none. Identify is open-set: most faces shown to a door
 * camera or a photo library belong to nobody enrolled, and each is compared with every person of the group, so
 * it needs a stricter threshold than one pair does. Each is the lowest confidence, in hundredths, at which at
 * most 1 % of strangers get a candidate on the development set's open-set protocol (`npm run bench:accuracy`,
 * docs/models.md).
 */
export const identifyConfidenceThresholds: Readonly<Record<RecognitionModel, number>> = {
  recognition_01: 0.96,
  recognition_02: 0.93,
  recognition_03: 0.9,
  recognition_04: 0.87,
};

/**
 * Group joins two clusters of faces while the mean similarity of their pairs (average linkage) reaches this
 * confidence. Each is the strictest confidence measured (0.05 to 0.99) with the best pairwise F1 on the
 * development set's Group protocol (`npm run bench:group`, docs/models.md).
 */
export const groupConfidenceThresholds: Readonly<Record<RecognitionModel, number>> = {
  recognition_01: 0.8,
  recognition_02: 0.75,
  recognition_03: 0.7,
  recognition_04: 0.7,
};
