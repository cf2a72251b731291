/**
 * Azure's 27 named landmarks from the detector's 68-point (iBUG 300-W) landmarks. "Left" and "right" are as
 * seen in the picture, as in Azure. Points Azure names but the 68-point scheme lacks (pupils, nose root and alar
 * points) are derived from their neighbours: pupils as the centre of the eye contour, nose root points midway
 * between the top of the nose bridge and the inner eye corners, alar tops midway between the nose bridge's lower
 * end and the outer nostril points.
 */
import type { Point } from '#contracts';

export const AzureLandmarkNames = [
  'pupilLeft',
  'pupilRight',
  'noseTip',
  'mouthLeft',
  'mouthRight',
  'eyebrowLeftOuter',
  'eyebrowLeftInner',
  'eyeLeftOuter',
  'eyeLeftTop',
  'eyeLeftBottom',
  'eyeLeftInner',
  'eyebrowRightInner',
  'eyebrowRightOuter',
  'eyeRightInner',
  'eyeRightTop',
  'eyeRightBottom',
  'eyeRightOuter',
  'noseRootLeft',
  'noseRootRight',
  'noseLeftAlarTop',
  'noseRightAlarTop',
  'noseLeftAlarOutTip',
  'noseRightAlarOutTip',
  'upperLipTop',
  'upperLipBottom',
  'underLipTop',
  'underLipBottom',
] as const;

export type AzureLandmarks = Record<(typeof AzureLandmarkNames)[number], Point>;

export function azureLandmarks(points: Point[]): AzureLandmarks {
  if (points.length !== 68) throw new Error(`Expected 68 landmarks, got ${points.length}`);
  const p = (i: number) => points[i]!;
  const mean = (...indices: number[]): Point => ({
    x: round(indices.reduce((sum, i) => sum + p(i).x, 0) / indices.length),
    y: round(indices.reduce((sum, i) => sum + p(i).y, 0) / indices.length),
  });
  return {
    pupilLeft: mean(36, 37, 38, 39, 40, 41),
    pupilRight: mean(42, 43, 44, 45, 46, 47),
    noseTip: mean(30),
    mouthLeft: mean(48),
    mouthRight: mean(54),
    eyebrowLeftOuter: mean(17),
    eyebrowLeftInner: mean(21),
    eyeLeftOuter: mean(36),
    eyeLeftTop: mean(37, 38),
    eyeLeftBottom: mean(40, 41),
    eyeLeftInner: mean(39),
    eyebrowRightInner: mean(22),
    eyebrowRightOuter: mean(26),
    eyeRightInner: mean(42),
    eyeRightTop: mean(43, 44),
    eyeRightBottom: mean(46, 47),
    eyeRightOuter: mean(45),
    noseRootLeft: mean(27, 39),
    noseRootRight: mean(27, 42),
    noseLeftAlarTop: mean(29, 31),
    noseRightAlarTop: mean(29, 35),
    noseLeftAlarOutTip: mean(31),
    noseRightAlarOutTip: mean(35),
    upperLipTop: mean(51),
    upperLipBottom: mean(62),
    underLipTop: mean(66),
    underLipBottom: mean(57),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
