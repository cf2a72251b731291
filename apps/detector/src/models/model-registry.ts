/**
 * The API names models by Azure's labels (detection_01, recognition_04, ...); which network stands behind
 * each label is a deployment choice that measurements will change, so it is kept as data in one table.
 */
import type { DetectionModel, RecognitionModel } from '#contracts';

/** Networks of the face-api package by role, named by their key in `faceapi.nets`. */
export type DetectorNet = 'ssdMobilenetv1';
export type LandmarkNet = 'faceLandmark68Net';
export type RecognitionNet = 'faceRecognitionNet';
export type FaceApiNet = DetectorNet | LandmarkNet | RecognitionNet;

export interface DetectionModelSpec {
  readonly name: DetectionModel;
  readonly sourcePackage: string;
  readonly detectorNet: DetectorNet;
  /** Side of the square the detector resizes every picture to. */
  readonly inputSize: number;
  readonly minScore: number;
  /**
   * Besides the whole picture, the detector also reads it as a tiles x tiles grid of overlapping tiles, each
   * enlarged to the input size: small faces become large enough to find. 1 = the whole picture only.
   */
  readonly tiles: number;
  /** Network whose landmarks align faces for recognition (always run) and are returned when `returnsLandmarks`. */
  readonly landmarkNet: LandmarkNet;
  readonly returnsLandmarks: boolean;
}

export interface RecognitionModelSpec {
  readonly name: RecognitionModel;
  readonly sourcePackage: string;
  readonly net: RecognitionNet;
  /** Side of the square aligned face crop the network reads. */
  readonly inputSize: number;
  /** Length of the embedding. Faces of different dimensions can never be compared. */
  readonly dimension: number;
  /**
   * Test-time views averaged into one embedding: the face chip with each padding (margin around the face, as a
   * share of its width), and with `mirrored` also its horizontal mirror. Each costs one more pass of the net.
   */
  readonly views: { readonly chipPaddings: readonly number[]; readonly mirrored: boolean };
}

const faceApi = '@vladmandic/face-api';

const ssdWith68Landmarks = {
  sourcePackage: faceApi,
  detectorNet: 'ssdMobilenetv1',
  inputSize: 512,
  minScore: 0.5,
  tiles: 1,
  landmarkNet: 'faceLandmark68Net',
} as const;

const faceApiRecognition = {
  sourcePackage: faceApi,
  net: 'faceRecognitionNet',
  inputSize: 150,
  dimension: 128,
} as const;

export const DetectionModelSpecs: Readonly<Record<DetectionModel, DetectionModelSpec>> = {
  detection_01: { name: 'detection_01', ...ssdWith68Landmarks, returnsLandmarks: true },
  // Chosen by `npm run bench:detection` (docs/models.md): a lower score finds more rolled and side faces with no
  // false box on the pictures without faces; tiles find the small ones, at five detector passes per picture.
  // Azure's detection_02 returns no landmarks.
  detection_02: { name: 'detection_02', ...ssdWith68Landmarks, minScore: 0.3, returnsLandmarks: false },
  detection_03: { name: 'detection_03', ...ssdWith68Landmarks, minScore: 0.3, tiles: 2, returnsLandmarks: true },
};

// Chosen by measurement on the labelled development set (docs/models.md): each step up adds views and
// accuracy. Human's faceres fused with these scored higher still, but its weights come without a licence.
export const RecognitionModelSpecs: Readonly<Record<RecognitionModel, RecognitionModelSpec>> = {
  // dlib's own chip has padding 0.25.
  recognition_01: { name: 'recognition_01', ...faceApiRecognition, views: { chipPaddings: [0.25], mirrored: false } },
  recognition_02: { name: 'recognition_02', ...faceApiRecognition, views: { chipPaddings: [0.25], mirrored: true } },
  recognition_03: {
    name: 'recognition_03',
    ...faceApiRecognition,
    views: { chipPaddings: [0.15, 0.25], mirrored: true },
  },
  recognition_04: {
    name: 'recognition_04',
    ...faceApiRecognition,
    views: { chipPaddings: [0.15, 0.25, 0.35], mirrored: true },
  },
};

/** Every face-api network some registered model needs, each once. */
export function requiredFaceApiNets(): FaceApiNet[] {
  const nets = [
    ...Object.values(DetectionModelSpecs).flatMap((spec) => [spec.detectorNet, spec.landmarkNet]),
    ...Object.values(RecognitionModelSpecs).map((spec) => spec.net),
  ];
  return [...new Set(nets)];
}

/** The API names this detector serves, as health reports them. */
export function registeredModelNames(): string[] {
  return [...Object.keys(DetectionModelSpecs), ...Object.keys(RecognitionModelSpecs)];
}
