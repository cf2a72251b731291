/** Finding face boxes is the costly step (a few hundred ms per picture on one WASM thread); it runs once per picture. */
import type * as tf from '@tensorflow/tfjs';
import { faceapi } from '../models/face-api-loader';
import type { DetectionModelSpec } from '../models/model-registry';
import type { Region } from './image-tensor';

export interface FaceBox {
  /** In working-picture pixels, as the network reported it (not clipped, not rounded). */
  region: Region;
  score: number;
}

/** Upper bound on boxes kept from one picture before the size rule; a crowd photo has far fewer usable faces. */
const maxBoxesPerPicture = 100;

export async function detectFaces(image: tf.Tensor3D, spec: DetectionModelSpec): Promise<FaceBox[]> {
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: spec.minScore, maxResults: maxBoxesPerPicture });
  const detections = await faceapi.nets[spec.detectorNet].locateFaces(image, options);
  return detections.map(({ box, score }) => ({
    region: { x: box.x, y: box.y, width: box.width, height: box.height },
    score,
  }));
}
