/**
 * The open-set identification curves measured by `npm run bench:accuracy` (bench/results/accuracy.json, put in at
 * build time by vite.config.ts) and identify's default thresholds, the same constants the service uses.
 */
import { identifyConfidenceThresholds } from '../../../../libs/contracts/src/confidence';
import type { RecognitionModel } from '../api/types';

export interface CurvePoint {
  confidence: number;
  /** Strangers given a candidate (false-positive identification rate). */
  fpir: number;
  /** Enrolled people not answered with their own name first (false-negative identification rate). */
  fnir: number;
}

declare const __THRESHOLD_CURVES__: Record<RecognitionModel, CurvePoint[]>;

export const thresholdCurves: Readonly<Record<RecognitionModel, CurvePoint[]>> = __THRESHOLD_CURVES__;

export function defaultThreshold(model: RecognitionModel): number {
  return identifyConfidenceThresholds[model];
}

/** The measured point at or just below a threshold: what the benchmark saw for that choice. */
export function pointAt(model: RecognitionModel, threshold: number): CurvePoint | undefined {
  const below = thresholdCurves[model].filter((p) => p.confidence <= threshold + 1e-9);
  return below[below.length - 1];
}
