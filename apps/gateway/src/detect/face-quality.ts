/**
 * qualityForRecognition from what the detector measures: the face's size (its shorter side in pixels) and its
 * sharpness (fine detail per unit of contrast on the face chip; the detector's face-sharpness.ts). Detector
 * scores are left out: each detection model scores on its own scale.
 *
 * `high`: at least 100 px (Azure recommends 200 px for enrolment; from 100 px the recognition network's 150 px
 * input is no longer mostly upsampled) and sharpness at least 0.15; `medium`: at least 50 px and sharpness at
 * least 0.08; else `low`. The sharpness bounds sit between the development photos and blurred copies of them that
 * recognition suffers from (docs/models.md, Enrolment quality).
 */
import type { ExtractedFace } from '#contracts';

/** Worst first. */
export const qualityLevels = ['low', 'medium', 'high'] as const;
export type QualityForRecognition = (typeof qualityLevels)[number];

export function isQualityAtLeast(quality: QualityForRecognition, minimum: QualityForRecognition): boolean {
  return qualityLevels.indexOf(quality) >= qualityLevels.indexOf(minimum);
}

export function qualityForRecognition(face: Pick<ExtractedFace, 'rectangle' | 'sharpness'>): QualityForRecognition {
  const side = Math.min(face.rectangle.width, face.rectangle.height);
  if (side >= 100 && face.sharpness >= 0.15) return 'high';
  if (side >= 50 && face.sharpness >= 0.08) return 'medium';
  return 'low';
}
