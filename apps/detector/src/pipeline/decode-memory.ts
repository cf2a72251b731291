/**
 * What decoding one upload costs in memory, known from its header before a byte of it is decoded. A small file
 * can declare a huge picture (a 1-bit BMP, a one-colour GIF), and the decoders that hold the picture whole would
 * expand it in the worker; JPEG and PNG are otherwise read line by line and shrunk while decoding.
 */
import { VisageError } from '#contracts';
import type { ImageFormat } from '#imaging';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
  /** Stored colour channels, alpha included. */
  channels: number;
  /** 2 for 16-bit PNG, else 1. */
  bytesPerSample: number;
  /** Progressive JPEG or interlaced (Adam7) PNG. */
  progressive: boolean;
  /** JPEG chroma subsampling as libvips names it (`4:2:0`, `4:4:4`, ...). */
  chromaSubsampling?: string;
  /** EXIF orientation (1 = upright). */
  orientation: number;
}

/** Bytes of memory held while decoding: the parts of the decoded picture held at once, plus the working picture. */
export function decodeMemoryBytes(header: ImageHeader, workingPixels: number): number {
  return header.width * header.height * heldBytesPerPixel(header) + workingPixels * 3;
}

/** Refuses, naming the limit, an upload whose decoding would take more than `budgetBytes`. */
export function checkDecodeMemory(header: ImageHeader, workingPixels: number, budgetBytes: number): void {
  const needed = decodeMemoryBytes(header, workingPixels);
  if (needed > budgetBytes) {
    throw new VisageError(
      'IMAGE_TOO_MANY_PIXELS',
      `Decoding this ${header.width}x${header.height} ${header.format.toUpperCase()} image would take about ` +
        `${mebibytes(needed)} MiB, over the limit of ${mebibytes(budgetBytes)} MiB per image. Send fewer pixels, ` +
        'or a baseline JPEG or a non-interlaced PNG, which are decoded line by line.',
    );
  }
}

function heldBytesPerPixel(header: ImageHeader): number {
  switch (header.format) {
    case 'bmp':
      // The BMP decoder returns the whole picture as RGBA, which is then copied to RGB for the resize.
      return 4 + 3;
    case 'gif':
      // The GIF decoder paints the whole frame into an RGBA bitmap, whatever the palette size.
      return 4;
    case 'jpeg':
      // Progressive: every DCT coefficient (16 bits) stays in memory until the last scan. Baseline is streamed,
      // and libvips turns an EXIF-rotated JPEG only after shrinking it on load.
      return header.progressive ? 2 * coefficientsPerPixel(header) : 0;
    case 'png':
      // Interlaced passes, or a turn, need the whole picture; otherwise rows are streamed.
      return header.progressive || header.orientation > 1 ? header.channels * header.bytesPerSample : 0;
  }
}

/** Colour JPEG stores chroma at the subsampled resolution: 4:2:0 keeps one chroma sample pair per 4 pixels. */
function coefficientsPerPixel({ channels, chromaSubsampling }: ImageHeader): number {
  if (channels !== 3) {
    return channels;
  }
  const chromaShare: Record<string, number> = { '4:2:0': 1 / 4, '4:1:1': 1 / 4, '4:2:2': 1 / 2, '4:4:0': 1 / 2 };
  return 1 + 2 * (chromaShare[chromaSubsampling ?? ''] ?? 1);
}

function mebibytes(bytes: number): number {
  return Math.ceil(bytes / 2 ** 20);
}
