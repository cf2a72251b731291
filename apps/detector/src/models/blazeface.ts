/**
 * MediaPipe's BlazeFace (the 256x256 "back camera" model, Apache-2.0), as converted to TensorFlow.js and shipped
 * in @vladmandic/human's `models/` folder. It finds blurred, rolled and small faces that SSD misses, faster
 * (docs/models.md, Detection), and marks six keypoints (eyes, nose, mouth, ears) with each face.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Point } from '#contracts';

export interface BlazeFaceDetection {
  /** Box in the pixels of the picture given to `detectBlazeFaces`. */
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
  /** The eye on the picture's left and the one on its right (the person's right and left eye). */
  eyes: [Point, Point];
}

const inputSize = 256;
let model: tf.GraphModel | undefined;
let anchors: Float32Array | undefined;

/** The package's `models/` folder (its exports hide package.json; the entry point is in `dist/`). */
export function blazeFaceWeightsFolder(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/human')), '..', 'models');
}

/** Loads the graph model from disk (no network); idempotent. */
export async function loadBlazeFace(): Promise<void> {
  if (model) return;
  const folder = blazeFaceWeightsFolder();
  const json = JSON.parse(readFileSync(path.join(folder, 'blazeface.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const weightBuffers = json.weightsManifest.flatMap((group) =>
    group.paths.map((file) => readFileSync(path.join(folder, file))),
  );
  const weights = Buffer.concat(weightBuffers);
  model = await tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    }),
  );
  anchors = anchorCentres();
}

/**
 * Every anchor's detection scoring at least `minScore`, before merging overlapping ones. The picture is padded
 * to a square at its bottom and right (the model reads a square) and resized to 256x256.
 */
export async function detectBlazeFaces(image: tf.Tensor3D, minScore: number): Promise<BlazeFaceDetection[]> {
  if (!model || !anchors) throw new Error('BlazeFace is not loaded');
  const [height, width] = image.shape;
  const side = Math.max(width, height);
  const loaded = model;
  const raw = tf.tidy(() => {
    const square = tf.pad(image, [
      [0, side - height],
      [0, side - width],
      [0, 0],
    ]);
    const batch = tf.expandDims<tf.Tensor4D>(tf.cast(square, 'float32'), 0);
    const resized = tf.image.resizeBilinear(batch, [inputSize, inputSize]);
    const input = tf.sub(tf.div(resized, 127.5), 1);
    // Four outputs: scores and regressors for the 512 anchors of the 16x16 grid and the 384 of the 8x8 grid.
    const [scores384, scores512, boxes384, boxes512] = [...(loaded.execute(input) as tf.Tensor[])].sort(
      (a, b) => a.size - b.size,
    );
    return tf.squeeze(
      tf.concat([tf.concat([scores512!, boxes512!], 2), tf.concat([scores384!, boxes384!], 2)], 1),
      [0],
    ) as tf.Tensor2D;
  });
  const rows = (await raw.data()) as Float32Array;
  raw.dispose();
  const columns = 17;
  const toPicture = side / inputSize;
  const minLogit = Math.log(minScore / (1 - minScore));
  const detections: BlazeFaceDetection[] = [];
  for (let anchor = 0; anchor < anchors.length / 2; anchor++) {
    const at = anchor * columns;
    if (rows[at]! < minLogit) continue;
    const ax = anchors[anchor * 2]!;
    const ay = anchors[anchor * 2 + 1]!;
    const boxWidth = rows[at + 3]!;
    const boxHeight = rows[at + 4]!;
    const point = (k: number): Point => ({
      x: (rows[at + 5 + 2 * k]! + ax) * toPicture,
      y: (rows[at + 6 + 2 * k]! + ay) * toPicture,
    });
    detections.push({
      x: (rows[at + 1]! + ax - boxWidth / 2) * toPicture,
      y: (rows[at + 2]! + ay - boxHeight / 2) * toPicture,
      width: boxWidth * toPicture,
      height: boxHeight * toPicture,
      score: 1 / (1 + Math.exp(-rows[at]!)),
      eyes: [point(0), point(1)],
    });
  }
  return detections;
}

/** Anchor centres in input pixels: 2 per cell of the 16x16 grid, then 6 per cell of the 8x8 grid. */
function anchorCentres(): Float32Array {
  const centres: number[] = [];
  for (const [stride, perCell] of [
    [inputSize / 16, 2],
    [inputSize / 8, 6],
  ] as const) {
    const cells = inputSize / stride;
    for (let row = 0; row < cells; row++) {
      for (let column = 0; column < cells; column++) {
        for (let n = 0; n < perCell; n++) centres.push(stride * (column + 0.5), stride * (row + 0.5));
      }
    }
  }
  return Float32Array.from(centres);
}
