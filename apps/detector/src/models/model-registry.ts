/**
 * The API names models by Azure's labels (detection_01, recognition_04, ...); which network stands behind
 * each label is a deployment choice that measurements will change, so it is kept as data in one table.
 */
import type { DetectionModel, RecognitionModel } from '#contracts';

/** Face-api networks are named by their key in `faceapi.nets`; BlazeFace comes from @vladmandic/human. */
export type DetectorNet = 'ssdMobilenetv1' | 'blazeFace';
export type LandmarkNet = 'faceLandmark68Net';
export type RecognitionNet = 'faceRecognitionNet';
export type FaceApiNet = Exclude<DetectorNet, 'blazeFace'> | LandmarkNet | RecognitionNet;

/** One face detector network and the score from which its boxes count as faces. */
export interface DetectorSpec {
  readonly net: DetectorNet;
  readonly sourcePackage: string;
  /** Side of the square the detector resizes every picture to (after padding it to a square, for BlazeFace). */
  readonly inputSize: number;
  readonly minScore: number;
  /** 1: the whole picture; n > 1: the picture cut into n x n overlapping tiles, each read at the input size. */
  readonly grid: number;
}

export interface DetectionModelSpec {
  readonly name: DetectionModel;
  /**
   * Detector passes over the picture, in this order; a box that overlaps one found by an earlier pass is the
   * same face and is dropped.
   */
  readonly detectors: readonly DetectorSpec[];
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

const ssd: DetectorSpec = { net: 'ssdMobilenetv1', sourcePackage: faceApi, inputSize: 512, minScore: 0.5, grid: 1 };

// The score threshold sits above what BlazeFace gives pictures without a face and below most faces, blurred ones
// included (the scores are in docs/models.md, Detection).
const blazeFace: DetectorSpec = {
  net: 'blazeFace',
  sourcePackage: '@vladmandic/human',
  inputSize: 256,
  minScore: 0.7,
  grid: 1,
};

const faceApiRecognition = {
  sourcePackage: faceApi,
  net: 'faceRecognitionNet',
  inputSize: 150,
  dimension: 128,
} as const;

export const DetectionModelSpecs: Readonly<Record<DetectionModel, DetectionModelSpec>> = {
  detection_01: { name: 'detection_01', detectors: [ssd], landmarkNet: 'faceLandmark68Net', returnsLandmarks: true },
  // Chosen by `npm run bench:detection` (docs/models.md): BlazeFace finds the blurred, rolled and small faces
  // SSD misses, and faster; detection_03 adds SSD's finds and then BlazeFace on 3x3 tiles for distant
  // faces in large pictures (a stricter score there: nine more passes, nine more chances of a false box).
  // BlazeFace's whole-picture pass goes first, so a face it finds keeps its eyes (they turn rolled faces upright
  // for the landmark net). Azure's detection_02 returns no landmarks.
  detection_02: {
    name: 'detection_02',
    detectors: [blazeFace],
    landmarkNet: 'faceLandmark68Net',
    returnsLandmarks: false,
  },
  detection_03: {
    name: 'detection_03',
    detectors: [blazeFace, ssd, { ...blazeFace, minScore: 0.8, grid: 3 }],
    landmarkNet: 'faceLandmark68Net',
    returnsLandmarks: true,
  },
};

// Each step up adds views: more accuracy for one more pass of the net per view (docs/models.md, Accuracy).
// Human's faceres is not among them: its weights come without a licence.
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
    ...Object.values(DetectionModelSpecs).flatMap((spec) => [...spec.detectors.map((d) => d.net), spec.landmarkNet]),
    ...Object.values(RecognitionModelSpecs).map((spec) => spec.net),
  ];
  return [...new Set(nets.filter((net): net is FaceApiNet => net !== 'blazeFace'))];
}

export function needsBlazeFace(): boolean {
  return Object.values(DetectionModelSpecs).some((spec) => spec.detectors.some((d) => d.net === 'blazeFace'));
}

/** The API names this detector serves, as health reports them. */
export function registeredModelNames(): string[] {
  return [...Object.keys(DetectionModelSpecs), ...Object.keys(RecognitionModelSpecs)];
}
