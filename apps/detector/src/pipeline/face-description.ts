/**
 * Recognition compares faces, not pictures: each face's landmarks are found, the face is warped upright onto
 * the recognition net's template (face-chip.ts) and embedded, and the vector L2-normalised so that the store can
 * compare with one dot product.
 */
import * as tf from '@tensorflow/tfjs';
import type { Point } from '#contracts';
import { faceapi } from '../models/face-api-loader';
import type { DetectionModelSpec, RecognitionModelSpec } from '../models/model-registry';
import {
  centroid,
  chipTransform,
  mapPoint,
  type Picture,
  renderChip,
  renderChipPixels,
  type SimilarityTransform,
} from './face-chip';
import { sharpnessChipPadding, sharpnessOf } from './face-sharpness';
import type { FaceBox } from './face-detection';
import { cropRegion } from './image-tensor';

export interface FaceDescription {
  /** 68 points in working-picture pixels. */
  landmarks: Point[];
  embedding: Float32Array;
  /** Fine detail of the face (face-sharpness.ts). */
  sharpness: number;
  /** The chip the sharpness is measured on (float RGB, the recognition net's input size). */
  chip: Float32Array;
}

export async function describeFace(
  picture: Picture,
  image: tf.Tensor3D,
  face: FaceBox,
  detection: DetectionModelSpec,
  recognition: RecognitionModelSpec,
): Promise<FaceDescription> {
  const landmarks = face.eyes
    ? await findLandmarksUpright(picture, face, rollOf(face.eyes), detection)
    : await findLandmarksFromBox(picture, image, face, detection);
  const { chipPaddings, mirrored } = recognition.views;
  const size = recognition.inputSize;
  const chips = new Map<number, Float32Array>();
  const chipAt = (padding: number): Float32Array => {
    let chip = chips.get(padding);
    if (!chip) chips.set(padding, (chip = renderChipPixels(picture, chipTransform(landmarks, size, padding), size)));
    return chip;
  };
  const sum = new Float32Array(recognition.dimension);
  for (const padding of chipPaddings) {
    const chip = tf.tensor3d(chipAt(padding), [size, size, 3], 'float32');
    const mirror = mirrored ? tf.reverse(chip, 1) : undefined;
    try {
      // Every view, and then every padding, is normalised before adding, so each weighs the same.
      const atPadding = new Float32Array(recognition.dimension);
      for (const view of mirror ? [chip, mirror] : [chip]) {
        const descriptor = await faceapi.nets[recognition.net].computeFaceDescriptor(view);
        addNormalised(atPadding, descriptor as Float32Array);
      }
      addNormalised(sum, atPadding);
    } finally {
      chip.dispose();
      mirror?.dispose();
    }
  }
  const chip = chipAt(sharpnessChipPadding);
  return { landmarks, embedding: l2Normalised(sum), sharpness: sharpnessOf(chip, size), chip };
}

function addNormalised(sum: Float32Array, vector: Float32Array): void {
  l2Normalised(vector).forEach((value, i) => (sum[i]! += value));
}

async function findLandmarks(image: tf.Tensor3D, face: FaceBox, detection: DetectionModelSpec): Promise<Point[]> {
  const crop = cropRegion(image, face.region);
  try {
    const landmarks = (await faceapi.nets[detection.landmarkNet].detectLandmarks(
      crop.tensor,
    )) as faceapi.FaceLandmarks68;
    return landmarks.positions.map(({ x, y }) => ({ x: x + crop.x, y: y + crop.y }));
  } finally {
    crop.tensor.dispose();
  }
}

/** Beyond this roll the landmark net reads a face better turned upright (about 10 degrees). */
const maxUprightRoll = Math.PI / 18;

/**
 * Detectors without eye keypoints (SSD): the landmarks of the upright box tell the head's roll, and a rolled
 * face is read a second time turned upright, as the landmark net reads upright faces best (docs/models.md).
 */
async function findLandmarksFromBox(
  picture: Picture,
  image: tf.Tensor3D,
  face: FaceBox,
  detection: DetectionModelSpec,
): Promise<Point[]> {
  const first = await findLandmarks(image, face, detection);
  const roll = rollOf([centroid(first.slice(36, 42)), centroid(first.slice(42, 48))]);
  return Math.abs(roll) > maxUprightRoll ? findLandmarksUpright(picture, face, roll, detection) : first;
}

/** The head's roll (radians, clockwise in picture coordinates) from the eyes left and right in the picture. */
function rollOf([leftEye, rightEye]: [Point, Point]): number {
  return Math.atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x);
}

/** Side of the landmark net's input: the upright crop is rendered at that size directly. */
const landmarkInputSize = 112;

/**
 * The landmark net was trained on upright faces: a rolled face is first turned by its roll so that its eyes are
 * level (a square crop about the box centre), and the landmarks found there are turned back into the picture.
 */
async function findLandmarksUpright(
  picture: Picture,
  face: FaceBox,
  roll: number,
  detection: DetectionModelSpec,
): Promise<Point[]> {
  const { x, y, width, height } = face.region;
  const scale = Math.max(width, height) / landmarkInputSize;
  const a = scale * Math.cos(roll);
  const b = scale * Math.sin(roll);
  const half = landmarkInputSize / 2;
  // Crop pixel (u, v) → picture: rotate and scale about the crop centre, which lands on the box centre.
  const toPicture: SimilarityTransform = {
    a,
    b,
    x: x + width / 2 - (a * half - b * half),
    y: y + height / 2 - (b * half + a * half),
  };
  const crop = renderChip(picture, toPicture, landmarkInputSize);
  try {
    const landmarks = (await faceapi.nets[detection.landmarkNet].detectLandmarks(crop)) as faceapi.FaceLandmarks68;
    return landmarks.positions.map((point) => mapPoint(toPicture, point));
  } finally {
    crop.dispose();
  }
}

function l2Normalised(vector: Float32Array): Float32Array {
  let sumOfSquares = 0;
  for (const value of vector) {
    sumOfSquares += value * value;
  }
  const norm = Math.sqrt(sumOfSquares);
  return Float32Array.from(vector, (value) => value / norm);
}
