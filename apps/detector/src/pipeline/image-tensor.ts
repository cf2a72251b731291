/**
 * Every network reads regions of the same decoded picture; keeping the crop here lets it copy whole rows
 * (tfjs-wasm slices a 3-D tensor one pixel at a time in JavaScript, a row slice is a few memcpys).
 */
import * as tf from '@tensorflow/tfjs';

/** A region in picture pixels; may reach outside the picture (it is clipped). */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Crop {
  tensor: tf.Tensor3D;
  /** Top-left corner of the crop in the picture. */
  x: number;
  y: number;
}

export function imageTensor(pixels: Buffer, width: number, height: number): tf.Tensor3D {
  return tf.tensor3d(pixels, [height, width, 3], 'int32');
}

/** Clips like face-api's `clipAtImageBorders` (floored, at least one pixel) so descriptors match its own. */
export function cropRegion(image: tf.Tensor3D, region: Region): Crop {
  const [imageHeight, imageWidth] = image.shape;
  const left = Math.max(region.x, 0);
  const top = Math.max(region.y, 0);
  const x = Math.min(Math.floor(left), imageWidth - 1);
  const y = Math.min(Math.floor(top), imageHeight - 1);
  const width = clamp(Math.floor(Math.min(region.x + region.width - left, imageWidth - left)), 1, imageWidth - x);
  const height = clamp(Math.floor(Math.min(region.y + region.height - top, imageHeight - top)), 1, imageHeight - y);
  const tensor = tf.tidy(() => {
    const rows = tf.reshape<tf.Rank.R2>(image, [imageHeight, imageWidth * 3]);
    return tf.reshape<tf.Rank.R3>(tf.slice(rows, [y, x * 3], [height, width * 3]), [height, width, 3]);
  });
  return { tensor, x, y };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
