/**
 * Harder copies of the labelled photos, made with sharp, for the detection and accuracy benchmarks: the face
 * shrunk to about 40 px on a grey 1024x768 canvas, blurred (gaussian sigma 3.5), rolled by 30 and 45 degrees;
 * and a distant face in a full-HD picture.
 */
import sharp from 'sharp';

const grey = { r: 128, g: 128, b: 128 };

export type PhotoVariant = 'small' | 'blurred' | 'rolled30' | 'rolled45';

export const photoVariants: Record<PhotoVariant, (photo: Buffer) => Promise<Buffer>> = {
  // LFW photos are 250x250 with the face about 110 px wide: a tenth of 40/110 of the side gives a 40 px face.
  small: async (photo) => {
    const shrunk = await sharp(photo).resize(91, 91).toBuffer();
    return sharp({ create: { width: 1024, height: 768, channels: 3, background: grey } })
      .composite([{ input: shrunk, left: 467, top: 339 }])
      .jpeg({ quality: 92 })
      .toBuffer();
  },
  blurred: (photo) => sharp(photo).blur(3.5).jpeg({ quality: 92 }).toBuffer(),
  rolled30: (photo) => sharp(photo).rotate(30, { background: grey }).jpeg({ quality: 92 }).toBuffer(),
  rolled45: (photo) => sharp(photo).rotate(45, { background: grey }).jpeg({ quality: 92 }).toBuffer(),
};

/** A 250x250 LFW photo shrunk to 120 px (its face to about 48 px) on a grey 1920x1080 canvas: a distant face. */
export async function distantInFullHd(photo: Buffer): Promise<Buffer> {
  const shrunk = await sharp(photo).resize(120, 120).toBuffer();
  return sharp({ create: { width: 1920, height: 1080, channels: 3, background: grey } })
    .composite([{ input: shrunk, left: 700, top: 400 }])
    .jpeg({ quality: 92 })
    .toBuffer();
}
