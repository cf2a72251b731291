/**
 * The recognition net was trained on dlib "face chips": the face rotated upright, scaled and centred so that its
 * landmarks fall on a mean face. An axis-aligned box around a tilted head is a different picture to the net
 * (docs/models.md has what that cost a rolled head), so every face is warped onto that template first.
 */
import * as tf from '@tensorflow/tfjs';
import type { Point } from '#contracts';

/** An RGB picture, 8 bits per channel, row-major. */
export interface Picture {
  pixels: Uint8Array;
  width: number;
  height: number;
}

/** Maps chip pixel (u, v) to picture pixel (a·u − b·v + x, b·u + a·v + y): rotation, scale and shift only. */
export interface SimilarityTransform {
  a: number;
  b: number;
  x: number;
  y: number;
}

/**
 * dlib's mean face (`get_face_chip_details`) for landmarks 17-67 of the 68-point scheme, in [0, 1] of a chip
 * without padding. Only the points dlib itself uses are listed: the eyebrows and lower lip move too much.
 */
const meanFace: ReadonlyArray<readonly [landmark: number, x: number, y: number]> = [
  [27, 0.490127, 0.203352],
  [28, 0.490127, 0.307009],
  [29, 0.490127, 0.409805],
  [30, 0.490127, 0.515625],
  [31, 0.36688, 0.587326],
  [32, 0.426036, 0.609345],
  [33, 0.490127, 0.628106],
  [34, 0.554217, 0.609345],
  [35, 0.613373, 0.587326],
  [36, 0.121737, 0.216423],
  [37, 0.187122, 0.178758],
  [38, 0.265825, 0.179852],
  [39, 0.334606, 0.231733],
  [40, 0.260918, 0.245099],
  [41, 0.182743, 0.244077],
  [42, 0.645647, 0.231733],
  [43, 0.714428, 0.179852],
  [44, 0.793132, 0.178758],
  [45, 0.858516, 0.216423],
  [46, 0.79751, 0.244077],
  [47, 0.719335, 0.245099],
  [48, 0.254149, 0.780233],
  [49, 0.340985, 0.745405],
  [50, 0.428858, 0.727388],
  [51, 0.490127, 0.742578],
  [52, 0.551395, 0.727388],
  [53, 0.639268, 0.745405],
  [54, 0.726104, 0.780233],
  [60, 0.290379, 0.784792],
  [61, 0.428096, 0.778746],
  [62, 0.490127, 0.785343],
  [63, 0.552157, 0.778746],
  [64, 0.689874, 0.784792],
];

/**
 * The transform that puts the face's landmarks (68 points, picture pixels) on the mean face in a chip of
 * `size` pixels whose face is surrounded by `padding` × its width on every side (dlib uses 0.25 for 150 px).
 */
export function chipTransform(landmarks: readonly Point[], size: number, padding: number): SimilarityTransform {
  const template = meanFaceInChip(size, padding);
  return leastSquaresSimilarity(
    template.map(({ point }) => point),
    template.map(({ landmark }) => landmarks[landmark]!),
  );
}

/** Where the mean face puts each landmark it uses, in chip pixels. */
export function meanFaceInChip(size: number, padding: number): { landmark: number; point: Point }[] {
  return meanFace.map(([landmark, x, y]) => ({
    landmark,
    point: { x: ((padding + x) / (1 + 2 * padding)) * size, y: ((padding + y) / (1 + 2 * padding)) * size },
  }));
}

/** Where `transform` takes `point`. */
export function mapPoint({ a, b, x, y }: SimilarityTransform, point: Point): Point {
  return { x: a * point.x - b * point.y + x, y: b * point.x + a * point.y + y };
}

/** The rotation, uniform scale and shift that best maps `from` onto `to` (closed form, no reflection). */
export function leastSquaresSimilarity(from: readonly Point[], to: readonly Point[]): SimilarityTransform {
  const fromMean = centroid(from);
  const toMean = centroid(to);
  let spread = 0;
  let cosine = 0;
  let sine = 0;
  from.forEach((point, i) => {
    const fx = point.x - fromMean.x;
    const fy = point.y - fromMean.y;
    const tx = to[i]!.x - toMean.x;
    const ty = to[i]!.y - toMean.y;
    spread += fx * fx + fy * fy;
    cosine += fx * tx + fy * ty;
    sine += fx * ty - fy * tx;
  });
  const a = cosine / spread;
  const b = sine / spread;
  return { a, b, x: toMean.x - (a * fromMean.x - b * fromMean.y), y: toMean.y - (b * fromMean.x + a * fromMean.y) };
}

/** Largest number of samples per chip pixel and axis; beyond it the extra smoothing is invisible to the net. */
const maxSamplesPerAxis = 4;

/**
 * Renders the `size` × `size` chip (float RGB). Each chip pixel averages n × n bilinear samples over the
 * picture area it covers, so a large face is shrunk without aliasing; outside the picture the edge repeats.
 */
export function renderChip(picture: Picture, transform: SimilarityTransform, size: number): tf.Tensor3D {
  return tf.tensor3d(renderChipPixels(picture, transform, size), [size, size, 3], 'float32');
}

/** The chip's pixels: float RGB, row-major. */
export function renderChipPixels(picture: Picture, transform: SimilarityTransform, size: number): Float32Array {
  const { pixels, width, height } = picture;
  const { a, b, x, y } = transform;
  const samples = Math.min(maxSamplesPerAxis, Math.max(1, Math.ceil(Math.hypot(a, b))));
  const weight = 1 / (samples * samples);
  const chip = new Float32Array(size * size * 3);
  const sum = [0, 0, 0];
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      sum[0] = sum[1] = sum[2] = 0;
      for (let j = 0; j < samples; j++) {
        const sv = v + (j + 0.5) / samples - 0.5;
        for (let i = 0; i < samples; i++) {
          const su = u + (i + 0.5) / samples - 0.5;
          addBilinear(pixels, width, height, a * su - b * sv + x, b * su + a * sv + y, sum);
        }
      }
      const at = (v * size + u) * 3;
      chip[at] = sum[0]! * weight;
      chip[at + 1] = sum[1]! * weight;
      chip[at + 2] = sum[2]! * weight;
    }
  }
  return chip;
}

function addBilinear(pixels: Uint8Array, width: number, height: number, px: number, py: number, sum: number[]) {
  const x = Math.min(Math.max(px, 0), width - 1);
  const y = Math.min(Math.max(py, 0), height - 1);
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = x - x0;
  const fy = y - y0;
  const topLeft = (y0 * width + x0) * 3;
  const topRight = (y0 * width + x1) * 3;
  const bottomLeft = (y1 * width + x0) * 3;
  const bottomRight = (y1 * width + x1) * 3;
  for (let channel = 0; channel < 3; channel++) {
    const top = pixels[topLeft + channel]! * (1 - fx) + pixels[topRight + channel]! * fx;
    const bottom = pixels[bottomLeft + channel]! * (1 - fx) + pixels[bottomRight + channel]! * fx;
    sum[channel]! += top * (1 - fy) + bottom * fy;
  }
}

export function centroid(points: readonly Point[]): Point {
  let x = 0;
  let y = 0;
  for (const point of points) {
    x += point.x;
    y += point.y;
  }
  return { x: x / points.length, y: y / points.length };
}
