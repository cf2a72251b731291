/**
 * Finding face boxes is the costly step (SSD: a few hundred ms per picture on one WASM thread, BlazeFace about
 * a tenth of that); it runs once per picture.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Point } from '#contracts';
import { detectBlazeFaces } from '../models/blazeface';
import { faceapi } from '../models/face-api-loader';
import type { DetectionModelSpec, DetectorSpec } from '../models/model-registry';
import type { Region } from './image-tensor';

export interface FaceBox {
  /** In working-picture pixels, as the network reported it (not clipped, not rounded). */
  region: Region;
  score: number;
  /** The eyes, left and right in the picture, from detectors that find them: they tell the head's roll. */
  eyes?: [Point, Point];
}

/** Upper bound on boxes kept from one picture before the size rule; a crowd photo has far fewer usable faces. */
const maxBoxesPerPicture = 100;

/** Boxes that overlap more than this are one face. */
const sameFaceOverlap = 0.3;

export async function detectFaces(image: tf.Tensor3D, spec: DetectionModelSpec): Promise<FaceBox[]> {
  const kept: FaceBox[] = [];
  for (const detector of spec.detectors) {
    const found = await locate(image, detector);
    kept.push(...found.filter((box) => kept.every((other) => overlap(box.region, other.region) <= sameFaceOverlap)));
  }
  return kept.slice(0, maxBoxesPerPicture);
}

async function locate(image: tf.Tensor3D, detector: DetectorSpec): Promise<FaceBox[]> {
  if (detector.net === 'blazeFace') {
    // Neighbouring anchors report the same face: keep the best of each.
    return nonMaxSuppression(
      (await detectBlazeFaces(image, detector.minScore)).map(({ x, y, width, height, score, eyes }) => ({
        region: { x, y, width, height },
        score,
        eyes,
      })),
    );
  }
  const options = new faceapi.SsdMobilenetv1Options({
    minConfidence: detector.minScore,
    maxResults: maxBoxesPerPicture,
  });
  const detections = await faceapi.nets[detector.net].locateFaces(image, options);
  return detections.map(({ box, score }) => ({
    region: { x: box.x, y: box.y, width: box.width, height: box.height },
    score,
  }));
}

/** Best-scoring box first; a box overlapping a kept one is the same face seen again. */
function nonMaxSuppression(boxes: FaceBox[]): FaceBox[] {
  const kept: FaceBox[] = [];
  for (const box of [...boxes].sort((a, b) => b.score - a.score)) {
    if (kept.every((other) => overlap(box.region, other.region) <= sameFaceOverlap)) kept.push(box);
    if (kept.length === maxBoxesPerPicture) break;
  }
  return kept;
}

/** Intersection over the smaller box: a face boxed tighter by one detector than another is still one face. */
function overlap(a: Region, b: Region): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (width <= 0 || height <= 0) return 0;
  return (width * height) / Math.min(a.width * a.height, b.width * b.height);
}
