/**
 * Recognition compares faces, not pictures: each face is cropped, its landmarks found, the crop re-aligned on
 * them and embedded, and the vector L2-normalised so that the store can compare with one dot product.
 */
import * as tf from '@tensorflow/tfjs';
import type { Point } from '#contracts';
import { faceapi } from '../models/face-api-loader';
import type { DetectionModelSpec, RecognitionModelSpec } from '../models/model-registry';
import { cropRegion, type Region } from './image-tensor';

export interface FaceDescription {
  /** 68 points in working-picture pixels. */
  landmarks: Point[];
  embedding: Float32Array;
}

export async function describeFace(
  image: tf.Tensor3D,
  face: Region,
  detection: DetectionModelSpec,
  recognition: RecognitionModelSpec,
): Promise<FaceDescription> {
  const landmarks = await findLandmarks(image, face, detection);
  const box = landmarks.align(null, { useDlibAlignment: true });
  const { cropScales, mirrored } = recognition.views;
  const sum = new Float32Array(recognition.dimension);
  for (const scale of cropScales) {
    const aligned = cropRegion(image, scaledAboutCentre(box, scale));
    const mirror = mirrored ? tf.reverse(aligned.tensor, 1) : undefined;
    try {
      // Every view, and then every scale, is normalised before adding, so each weighs the same.
      const atScale = new Float32Array(recognition.dimension);
      for (const view of mirror ? [aligned.tensor, mirror] : [aligned.tensor]) {
        const descriptor = await faceapi.nets[recognition.net].computeFaceDescriptor(view);
        addNormalised(atScale, descriptor as Float32Array);
      }
      addNormalised(sum, atScale);
    } finally {
      aligned.tensor.dispose();
      mirror?.dispose();
    }
  }
  return { landmarks: landmarks.positions.map(({ x, y }) => ({ x, y })), embedding: l2Normalised(sum) };
}

function addNormalised(sum: Float32Array, vector: Float32Array): void {
  l2Normalised(vector).forEach((value, i) => (sum[i]! += value));
}

function scaledAboutCentre(box: Region, scale: number): Region {
  if (scale === 1) return box;
  const width = box.width * scale;
  const height = box.height * scale;
  return { x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width, height };
}

async function findLandmarks(
  image: tf.Tensor3D,
  face: Region,
  detection: DetectionModelSpec,
): Promise<faceapi.FaceLandmarks68> {
  const crop = cropRegion(image, face);
  try {
    const landmarks = (await faceapi.nets[detection.landmarkNet].detectLandmarks(
      crop.tensor,
    )) as faceapi.FaceLandmarks68;
    return landmarks.shiftBy<faceapi.FaceLandmarks68>(crop.x, crop.y);
  } finally {
    crop.tensor.dispose();
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
