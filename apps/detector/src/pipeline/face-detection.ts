/** Finding face boxes is the costly step (a few hundred ms per picture on one WASM thread); it runs once per picture. */
import type * as tf from '@tensorflow/tfjs';
import { faceapi } from '../models/face-api-loader';
import type { DetectionModelSpec } from '../models/model-registry';
import { cropRegion, type Region } from './image-tensor';

export interface FaceBox {
  /** In working-picture pixels, as the network reported it (not clipped, not rounded). */
  region: Region;
  score: number;
}

/** Upper bound on boxes kept from one picture before the size rule; a crowd photo has far fewer usable faces. */
const maxBoxesPerPicture = 100;

/** Tiles overlap by this share of their side, so a face on a border is whole in one of them. */
const tileOverlap = 0.25;
/** Boxes from the whole picture and from tiles that overlap more than this are one face. */
const sameFaceOverlap = 0.3;

export async function detectFaces(image: tf.Tensor3D, spec: DetectionModelSpec): Promise<FaceBox[]> {
  const boxes = await locate(image, spec, 0, 0);
  if (spec.tiles === 1) return boxes;
  for (const tile of tilesOf(image, spec.tiles)) {
    const crop = cropRegion(image, tile);
    try {
      boxes.push(...(await locate(crop.tensor, spec, crop.x, crop.y)));
    } finally {
      crop.tensor.dispose();
    }
  }
  return nonMaxSuppression(boxes);
}

async function locate(image: tf.Tensor3D, spec: DetectionModelSpec, dx: number, dy: number): Promise<FaceBox[]> {
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: spec.minScore, maxResults: maxBoxesPerPicture });
  const detections = await faceapi.nets[spec.detectorNet].locateFaces(image, options);
  return detections.map(({ box, score }) => ({
    region: { x: box.x + dx, y: box.y + dy, width: box.width, height: box.height },
    score,
  }));
}

function tilesOf(image: tf.Tensor3D, grid: number): Region[] {
  const [height, width] = image.shape;
  const side = (length: number) => length / (grid - (grid - 1) * tileOverlap);
  const tileWidth = side(width);
  const tileHeight = side(height);
  const tiles: Region[] = [];
  for (let row = 0; row < grid; row++) {
    for (let column = 0; column < grid; column++) {
      tiles.push({
        x: column * tileWidth * (1 - tileOverlap),
        y: row * tileHeight * (1 - tileOverlap),
        width: tileWidth,
        height: tileHeight,
      });
    }
  }
  return tiles;
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

/** Intersection over the smaller box: a face cut by a tile border is still recognised as the same face. */
function overlap(a: Region, b: Region): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (width <= 0 || height <= 0) return 0;
  return (width * height) / Math.min(a.width * a.height, b.width * b.height);
}
