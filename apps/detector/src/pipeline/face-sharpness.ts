/**
 * How much fine detail a face shows, for qualityForRecognition: blurred or heavily compressed faces give weak
 * feature vectors even when they are large and clearly found. Measured on the face chip (the face upright at a
 * fixed scale), so the figure does not depend on the picture's size or the detector.
 */

/** Padding of the chip the measure reads: dlib's standard chip. */
export const sharpnessChipPadding = 0.25;

/**
 * Standard deviation of the Laplacian of the chip's grey levels over its inner half (eyes, nose, mouth; no
 * background), divided by the standard deviation of the grey levels there: edges per unit of contrast, so a
 * dim or low-contrast face is not mistaken for a blurred one.
 */
export function sharpnessOf(chip: Float32Array, size: number): number {
  const grey = new Float32Array(size * size);
  for (let i = 0; i < grey.length; i++) {
    grey[i] = 0.299 * chip[i * 3]! + 0.587 * chip[i * 3 + 1]! + 0.114 * chip[i * 3 + 2]!;
  }
  const from = Math.floor(size / 4);
  const to = Math.ceil((size * 3) / 4);
  let n = 0;
  let sum = 0;
  let sumOfSquares = 0;
  let laplacianSum = 0;
  let laplacianSquares = 0;
  for (let y = from; y < to; y++) {
    for (let x = from; x < to; x++) {
      const at = y * size + x;
      const value = grey[at]!;
      const laplacian = 4 * value - grey[at - 1]! - grey[at + 1]! - grey[at - size]! - grey[at + size]!;
      n++;
      sum += value;
      sumOfSquares += value * value;
      laplacianSum += laplacian;
      laplacianSquares += laplacian * laplacian;
    }
  }
  const deviation = (total: number, squares: number) => Math.sqrt(Math.max(0, squares / n - (total / n) ** 2));
  return deviation(laplacianSum, laplacianSquares) / (deviation(sum, sumOfSquares) + 1);
}
