/**
 * Finding face boxes is the costly step (SSD: a few hundred ms per picture on one WASM thread, BlazeFace about
 * a tenth of that); it runs once per picture.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Point } from '#contracts';
import { detectBlazeFaces } from '../models/blazeface';
import { faceapi } from '../models/face-api-loader';
import type { DetectionModelSpec, DetectorSpec } from '../models/model-registry';
import { cropRegion, type Region } from './image-tensor';

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
/** Tiles overlap by this share of their side, so a face on a border is whole in one of them. */
const tileOverlap = 0.25;

/**
 * Runs the model's detector passes in order; a box overlapping one kept from an earlier pass is the same face
 * seen again and is dropped, so earlier passes (the whole picture first) decide each face's box.
 */
export async function detectFaces(image: tf.Tensor3D, spec: DetectionModelSpec): Promise<FaceBox[]> {
  const kept: FaceBox[] = [];
  for (const detector of spec.detectors) {
    const found: FaceBox[] = [];
    if (detector.grid === 1) found.push(...(await locate(image, detector)));
    else {
      for (const tile of tilesOf(image, detector.grid)) {
        const crop = cropRegion(image, tile);
        try {
          found.push(...(await locate(crop.tensor, detector)).map((box) => shifted(box, crop.x, crop.y)));
        } finally {
          crop.tensor.dispose();
        }
      }
    }
    // Within a pass the best box of each face; across passes the earlier one.
    const fresh = detector.grid === 1 ? found : nonMaxSuppression(found);
    kept.push(...fresh.filter((box) => kept.every((other) => overlap(box.region, other.region) <= sameFaceOverlap)));
  }
  return kept.slice(0, maxBoxesPerPicture);
}

function shifted(box: FaceBox, dx: number, dy: number): FaceBox {
  const { x, y, width, height } = box.region;
  const move = ({ x, y }: Point): Point => ({ x: x + dx, y: y + dy });
  return {
    region: { x: x + dx, y: y + dy, width, height },
    score: box.score,
    ...(box.eyes ? { eyes: [move(box.eyes[0]), move(box.eyes[1])] } : {}),
  };
}

/** A grid x grid cover of the picture with overlapping tiles, each read at the detector's full input size. */
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
