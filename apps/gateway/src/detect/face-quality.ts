/**
 * qualityForRecognition from what the detector measures: the face's size (its shorter side in pixels) and the
 * detector's confidence. Small or uncertain faces give weak feature vectors. `high`: at least 100 px and score
 * at least 0.9 (Azure recommends faces of 200 px for enrolment; 100 px is where our recognition network's
 * 150 px input is no longer mostly upsampled); `medium`: at least 50 px and score at least 0.7; else `low`.
 */
import type { ExtractedFace } from '#contracts';

export type QualityForRecognition = 'low' | 'medium' | 'high';

export function qualityForRecognition(face: Pick<ExtractedFace, 'rectangle' | 'score'>): QualityForRecognition {
  const side = Math.min(face.rectangle.width, face.rectangle.height);
  if (side >= 100 && face.score >= 0.9) return 'high';
  if (side >= 50 && face.score >= 0.7) return 'medium';
  return 'low';
}
