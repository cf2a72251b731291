/**
 * Uploads arrive in four formats, any EXIF orientation, colour space and size; the networks want one upright
 * sRGB picture of bounded size. Decoding is also where hostile files (pixel floods, truncated or disguised
 * bytes) must turn into clean 4xx errors before memory is spent on them.
 */
import sharp from 'sharp';
import { decode as decodeBmp } from 'bmp-ts';
import { Limits, VisageError } from '#contracts';
import { checkImageBytes, type ImageFormat } from '#imaging';
import { checkDecodeMemory } from './decode-memory';

sharp.cache(false);

/**
 * Longer side of the picture the networks see. Larger uploads are shrunk while decoding: the detector reads
 * 512x512 anyway, the minimum face (which grows with the picture, see minimumFaceSize) stays at least 36 px,
 * and the WASM heap, which never shrinks, stays bounded.
 */
export const workingImageMaxSide = 1920;

export interface DecodedImage {
  format: ImageFormat;
  /** Upright size of the upload; face rectangles are reported in these pixels. */
  width: number;
  height: number;
  /** The picture the networks read: RGB, 8 bits per channel, row-major, at most `workingImageMaxSide`. */
  pixels: Buffer;
  workingWidth: number;
  workingHeight: number;
}

/** `memoryBudgetBytes`: what decoding may take in memory (see decode-memory.ts); larger pictures are refused unread. */
export async function decodeImage(bytes: Buffer, memoryBudgetBytes = Infinity): Promise<DecodedImage> {
  const format = checkImageBytes(bytes);
  return format === 'bmp' ? decodeBitmap(bytes, memoryBudgetBytes) : decodeWithSharp(bytes, format, memoryBudgetBytes);
}

async function decodeWithSharp(
  bytes: Buffer,
  format: Exclude<ImageFormat, 'bmp'>,
  memoryBudgetBytes: number,
): Promise<DecodedImage> {
  const metadata = await readMetadata(bytes);
  // The signature only claims a format; libvips decides what the bytes really are.
  if (metadata.format !== format || !metadata.width || !metadata.height) {
    throw new VisageError('INVALID_IMAGE');
  }
  checkPixelCount(metadata.width, metadata.height);
  const header = {
    format,
    width: metadata.width,
    height: metadata.height,
    channels: metadata.channels ?? 4,
    bytesPerSample: metadata.depth === 'ushort' ? 2 : 1,
    progressive: metadata.isProgressive ?? false,
    chromaSubsampling: metadata.chromaSubsampling,
    orientation: metadata.orientation ?? 1,
  };
  checkDecodeMemory(header, workingPixels(metadata.width, metadata.height), memoryBudgetBytes);
  const sideways = (metadata.orientation ?? 1) >= 5;
  const width = sideways ? metadata.height : metadata.width;
  const height = sideways ? metadata.width : metadata.height;
  const pipeline = sharp(bytes, { limitInputPixels: Limits.imageMaxPixels }).rotate().toColourspace('srgb');
  return { format, width, height, ...(await toWorkingPixels(pipeline.removeAlpha())) };
}

async function decodeBitmap(bytes: Buffer, memoryBudgetBytes: number): Promise<DecodedImage> {
  const { width, height } = bitmapHeaderSize(bytes);
  checkPixelCount(width, height);
  const header = {
    format: 'bmp' as const,
    width,
    height,
    channels: 4,
    bytesPerSample: 1,
    progressive: false,
    orientation: 1,
  };
  checkDecodeMemory(header, workingPixels(width, height), memoryBudgetBytes);
  let rgba: Buffer;
  try {
    rgba = decodeBmp(bytes, { toRGBA: true }).data;
  } catch {
    throw new VisageError('INVALID_IMAGE');
  }
  if (rgba.length !== width * height * 4) {
    throw new VisageError('INVALID_IMAGE');
  }
  // Dropped here rather than by sharp: 24-bit bitmaps decode with alpha 0, which a resize would premultiply to black.
  const rgb = Buffer.allocUnsafe(width * height * 3);
  for (let source = 0, target = 0; source < rgba.length; source += 4, target += 3) {
    rgb[target] = rgba[source];
    rgb[target + 1] = rgba[source + 1];
    rgb[target + 2] = rgba[source + 2];
  }
  const pipeline = sharp(rgb, { raw: { width, height, channels: 3 } });
  return { format: 'bmp', width, height, ...(await toWorkingPixels(pipeline)) };
}

async function readMetadata(bytes: Buffer): Promise<sharp.Metadata> {
  try {
    return await sharp(bytes, { limitInputPixels: Limits.imageMaxPixels }).metadata();
  } catch (error) {
    throw decodingError(error);
  }
}

async function toWorkingPixels(
  pipeline: sharp.Sharp,
): Promise<Pick<DecodedImage, 'pixels' | 'workingWidth' | 'workingHeight'>> {
  try {
    const { data, info } = await pipeline
      .resize({ width: workingImageMaxSide, height: workingImageMaxSide, fit: 'inside', withoutEnlargement: true })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
      throw new VisageError('INVALID_IMAGE');
    }
    return { pixels: data, workingWidth: info.width, workingHeight: info.height };
  } catch (error) {
    throw decodingError(error);
  }
}

/** Width and height from a BMP header (core header: 16-bit fields; later ones: 32-bit, height < 0 = top-down). */
function bitmapHeaderSize(bytes: Buffer): { width: number; height: number } {
  const core = bytes.readUInt32LE(14) === 12;
  const width = core ? bytes.readUInt16LE(18) : bytes.readInt32LE(18);
  const height = Math.abs(core ? bytes.readUInt16LE(20) : bytes.readInt32LE(22));
  if (width <= 0 || height <= 0) {
    throw new VisageError('INVALID_IMAGE');
  }
  return { width, height };
}

/** Pixels of the working picture that `toWorkingPixels` makes of a picture this size. */
function workingPixels(width: number, height: number): number {
  const scale = Math.min(1, workingImageMaxSide / Math.max(width, height));
  return Math.round(width * scale) * Math.round(height * scale);
}

function checkPixelCount(width: number, height: number): void {
  if (width * height > Limits.imageMaxPixels) {
    throw new VisageError('IMAGE_TOO_MANY_PIXELS');
  }
}

function decodingError(error: unknown): VisageError {
  if (error instanceof VisageError) {
    return error;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new VisageError(/pixel limit/i.test(reason) ? 'IMAGE_TOO_MANY_PIXELS' : 'INVALID_IMAGE');
}
