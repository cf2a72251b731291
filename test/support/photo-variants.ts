/**
 * Harder copies of the labelled photos, made with sharp, for the benchmarks and e2e tests: the face
 * shrunk to about 40 px on a grey 1024x768 canvas, blurred (gaussian sigma 3.5), rolled by 30 and 45 degrees;
 * a distant face in a full-HD picture; scenes with their faces painted over, for false boxes; and crowds of
 * several photos side by side, for images that cost many descriptor passes.
 */
import sharp from 'sharp';
import type { FaceRectangle } from '#contracts';

const grey = { r: 128, g: 128, b: 128 };

export type PhotoVariant = 'small' | 'blurred' | 'rolled30' | 'rolled45';

export const photoVariants: Record<PhotoVariant, (photo: Buffer) => Promise<Buffer>> = {
  // LFW photos are 250x250 with the face about 110 px wide: a tenth of 40/110 of the side gives a 40 px face.
  small: async (photo) => {
    const shrunk = await sharp(photo).resize(91, 91).toBuffer();
    return onGreyCanvas(1024, 768, { input: shrunk, left: 467, top: 339 });
  },
  blurred: (photo) => sharp(photo).blur(3.5).jpeg({ quality: 92 }).toBuffer(),
  rolled30: (photo) => sharp(photo).rotate(30, { background: grey }).jpeg({ quality: 92 }).toBuffer(),
  rolled45: (photo) => sharp(photo).rotate(45, { background: grey }).jpeg({ quality: 92 }).toBuffer(),
};

/** A 250x250 LFW photo shrunk to 120 px (its face to about 48 px) on a grey 1920x1080 canvas: a distant face. */
export async function distantInFullHd(photo: Buffer): Promise<Buffer> {
  const shrunk = await sharp(photo).resize(120, 120).toBuffer();
  return onGreyCanvas(1920, 1080, { input: shrunk, left: 700, top: 400 });
}

/**
 * The photo with every given face painted grey, its box widened by an eighth of its size on each side so that no
 * eye or mouth is left: the hair, shoulders, hands and background that remain are a scene without a face.
 */
export async function facesErased(photo: Buffer, faces: FaceRectangle[]): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(photo).metadata();
  const patches = faces.map((face) => {
    const left = Math.max(0, Math.round(face.left - face.width / 8));
    const top = Math.max(0, Math.round(face.top - face.height / 8));
    const right = Math.min(width, Math.round(face.left + (face.width * 9) / 8));
    const bottom = Math.min(height, Math.round(face.top + (face.height * 9) / 8));
    const patch = { width: right - left, height: bottom - top, channels: 3 as const, background: grey };
    return { input: { create: patch }, left, top };
  });
  return sharp(photo).composite(patches).jpeg({ quality: 92 }).toBuffer();
}

/** A picture filling the height of a grey full-HD canvas, as a camera frame would. */
export async function inFullHd(photo: Buffer): Promise<Buffer> {
  const enlarged = await sharp(photo).resize(1080, 1080, { fit: 'inside' }).toBuffer();
  return onGreyCanvas(1920, 1080, { input: enlarged, gravity: 'centre' });
}

/** The photos side by side, `columns` to a row, on a grey canvas: one picture with a face from each. */
export async function crowd(photos: Buffer[], columns: number): Promise<Buffer> {
  const side = 250;
  const rows = Math.ceil(photos.length / columns);
  const layers = await Promise.all(
    photos.map(async (photo, i) => ({
      input: await sharp(photo).resize(side, side).toBuffer(),
      left: (i % columns) * side,
      top: Math.floor(i / columns) * side,
    })),
  );
  return sharp({ create: { width: columns * side, height: rows * side, channels: 3, background: grey } })
    .composite(layers)
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** One layer on a plain grey canvas, as a JPEG like the other variants. */
function onGreyCanvas(width: number, height: number, layer: sharp.OverlayOptions): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: grey } })
    .composite([layer])
    .jpeg({ quality: 92 })
    .toBuffer();
}
