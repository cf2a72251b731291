/**
 * The gateway and the detector must refuse the same uploads for the same reasons, before anything expensive
 * runs; these rules live here so both sides apply one definition.
 */
import { Limits, VisageError } from '#contracts';

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'bmp';

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Sizes of the BMP info headers in use (core, v1..v5); "BM" alone is too weak a signature. */
const bmpInfoHeaderSizes = new Set([12, 40, 52, 56, 64, 108, 124]);

/** The accepted format the bytes claim by their signature, or null (WebP, TIFF, HEIC, text, ...). */
export function sniffImageFormat(bytes: Buffer): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return 'jpeg';
  }
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(pngSignature)) {
    return 'png';
  }
  if (
    bytes.length >= 6 &&
    (bytes.toString('latin1', 0, 6) === 'GIF87a' || bytes.toString('latin1', 0, 6) === 'GIF89a')
  ) {
    return 'gif';
  }
  if (bytes.length >= 18 && bytes[0] === 0x42 && bytes[1] === 0x4d && bmpInfoHeaderSizes.has(bytes.readUInt32LE(14))) {
    return 'bmp';
  }
  return null;
}

/** Refuses bytes that are too small, too large or not one of the accepted formats; returns the format. */
export function checkImageBytes(bytes: Buffer): ImageFormat {
  if (bytes.length < Limits.imageMinBytes) {
    throw new VisageError('IMAGE_TOO_SMALL');
  }
  if (bytes.length > Limits.imageMaxBytes) {
    throw new VisageError('IMAGE_TOO_LARGE');
  }
  const format = sniffImageFormat(bytes);
  if (format === null) {
    throw new VisageError('INVALID_IMAGE');
  }
  return format;
}

/**
 * Smallest face side (px) counted as a face in a picture of this size: 36 px up to 1920x1080, growing in
 * proportion above it. The scale is the longer side / 1920, so portrait and landscape pictures get the same rule.
 */
export function minimumFaceSize(width: number, height: number): number {
  const scale = Math.max(1, Math.max(width, height) / Limits.faceMinReferencePixels.width);
  return Math.round(Limits.faceMinPixels * scale);
}

/** Whether a face rectangle is neither smaller than the picture's minimum nor larger than the maximum face. */
export function isFaceSizeAllowed(
  face: { width: number; height: number },
  image: { width: number; height: number },
): boolean {
  return (
    Math.min(face.width, face.height) >= minimumFaceSize(image.width, image.height) &&
    Math.max(face.width, face.height) <= Limits.faceMaxPixels
  );
}
