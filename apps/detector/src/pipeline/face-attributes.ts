/**
 * Azure's face attributes that need no model of their own: head pose from the 68 landmarks every face already
 * has, blur, exposure and noise from the face's pixels. Each is measured only when a request asks for it; all of
 * them together cost a few milliseconds per face at most, next to the recognition passes (docs/models.md).
 */
import type { HeadPose, MeasuredAttributeName, MeasuredAttributes, Point } from '#contracts';
import { centroid, type Picture } from './face-chip';
import type { Region } from './image-tensor';

export interface MeasuredFace {
  /** 68 points in working-picture pixels. */
  landmarks: readonly Point[];
  /** The face chip the sharpness is measured on (float RGB, `chipSize` square), and that sharpness. */
  chip: Float32Array;
  chipSize: number;
  sharpness: number;
  /** The face's box in the working picture. */
  region: Region;
}

export function measureAttributes(
  names: readonly MeasuredAttributeName[],
  picture: Picture,
  face: MeasuredFace,
): MeasuredAttributes {
  const attributes: MeasuredAttributes = {};
  for (const name of new Set(names)) {
    if (name === 'headPose') attributes.headPose = headPoseOf(face.landmarks);
    else if (name === 'blur') attributes.blur = hundredths(blurOf(face.sharpness));
    else if (name === 'exposure') attributes.exposure = hundredths(exposureOf(face.chip, face.chipSize));
    else attributes.noise = hundredths(noiseOf(picture, face.region));
  }
  return attributes;
}

// ---- head pose ----

/**
 * Depth of the nose tip in front of the face's contour, as a share of the contour's half width (a cylinder head
 * whose nose stands out by 0.3 of its radius): turning by `yaw` moves the nose sideways by (1 + 0.3)·sin(yaw).
 */
const noseDepthOverHalfWidth = 1.3;
/** Depth of the nose tip in front of the eye-mouth plane, as a share of the eye-mouth distance (adult faces). */
const noseDepthOverEyeMouth = 0.45;
/**
 * Where the nose tip sits between the eye line (0) and the mouth (1) on a face looking straight at the camera:
 * the median over the development photos (docs/models.md).
 */
const frontalNoseHeight = 0.55;

/**
 * Roll from the line through the eyes; yaw from where the nose tip sits between the face's left and right
 * contour; pitch from where it sits between the eyes and the mouth. Both are read with the roll undone.
 * Degrees, to a tenth.
 */
export function headPoseOf(landmarks: readonly Point[]): HeadPose {
  const leftEye = centroid(landmarks.slice(36, 42));
  const rightEye = centroid(landmarks.slice(42, 48));
  const roll = Math.atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x);
  const cos = Math.cos(-roll);
  const sin = Math.sin(-roll);
  // The face upright: rotated by -roll about the point between the eyes.
  const eyes = centroid([leftEye, rightEye]);
  const upright = (index: number): Point => {
    const { x, y } = landmarks[index]!;
    const dx = x - eyes.x;
    const dy = y - eyes.y;
    return { x: dx * cos - dy * sin, y: dx * sin + dy * cos };
  };
  const nose = upright(30);
  const contourLeft = upright(0);
  const contourRight = upright(16);
  const mouth = centroid([48, 51, 54, 57].map(upright));

  const toLeft = nose.x - contourLeft.x;
  const toRight = contourRight.x - nose.x;
  const sideways = toLeft + toRight > 0 ? (toLeft - toRight) / (toLeft + toRight) : 0;
  const yaw = Math.asin(clamp(sideways / noseDepthOverHalfWidth, -1, 1));

  const noseHeight = mouth.y > 0 ? nose.y / mouth.y : frontalNoseHeight;
  const pitch = Math.atan((frontalNoseHeight - noseHeight) / noseDepthOverEyeMouth);

  return { pitch: tenths(degrees(pitch)), roll: tenths(degrees(roll)), yaw: tenths(degrees(yaw)) };
}

// ---- blur ----

/**
 * Sharpness (face-sharpness.ts) at which blur is 0.5, and how steeply blur rises as sharpness falls: chosen so
 * that Azure's level boundaries fall where recognition starts to suffer (docs/models.md, "Face attributes").
 */
const halfBlurSharpness = 0.102;
const blurSteepness = 2.44;

/** In (0, 1), the larger the blurrier: a logistic curve of the sharpness's logarithm. */
export function blurOf(sharpness: number): number {
  if (!(sharpness > 0)) return 1;
  return 1 / (1 + (sharpness / halfBlurSharpness) ** blurSteepness);
}

// ---- exposure ----

/**
 * Mean brightness of the face's inner half on the chip (eyes, nose, mouth, cheeks; no hair or background),
 * 0 black to 1 white, on the sRGB scale the picture is stored in: a face lit for the camera sits in the middle
 * third, one shot against the light or in the dark below a quarter, a washed-out one above three quarters.
 */
export function exposureOf(chip: Float32Array, size: number): number {
  const from = Math.floor(size / 4);
  const to = Math.ceil((size * 3) / 4);
  let sum = 0;
  let n = 0;
  for (let y = from; y < to; y++) {
    for (let x = from; x < to; x++) {
      const at = (y * size + x) * 3;
      sum += 0.299 * chip[at]! + 0.587 * chip[at + 1]! + 0.114 * chip[at + 2]!;
      n++;
    }
  }
  return clamp(sum / n / 255, 0, 1);
}

// ---- noise ----

/** Most samples read per axis of the face box; a larger face is read on a coarser grid. */
const maxNoiseSamplesPerAxis = 128;
/** Grey-level standard deviation of the noise at which the value is 1 - 1/e (about 0.63). */
const noiseScale = 8;
/** Width of the histogram bins the median response is read from, in grey levels. */
const responseBin = 0.25;

/**
 * Immerkær's noise estimate (a 3x3 mask that cancels smooth shading and straight edges) over the inner part of
 * the face box in the working picture, not the chip, whose resampling averages noise away. The median of the
 * mask's response, not its mean, so that eyes, brows and lips count as little as they are rare. Mapped to [0, 1)
 * by 1 - exp(-sigma / noiseScale).
 */
export function noiseOf(picture: Picture, region: Region): number {
  return 1 - Math.exp(-noiseSigmaOf(picture, region) / noiseScale);
}

/** The estimated standard deviation of the noise, in grey levels (0-255). */
export function noiseSigmaOf({ pixels, width, height }: Picture, region: Region): number {
  // The inner 60 % of the box: skin, eyes, nose and mouth, little hair or background.
  const left = clamp(Math.round(region.x + region.width * 0.2), 1, width - 2);
  const right = clamp(Math.round(region.x + region.width * 0.8), 1, width - 2);
  const top = clamp(Math.round(region.y + region.height * 0.2), 1, height - 2);
  const bottom = clamp(Math.round(region.y + region.height * 0.8), 1, height - 2);
  if (right <= left || bottom <= top) return 0;
  const step = Math.max(1, Math.ceil(Math.max(right - left, bottom - top) / maxNoiseSamplesPerAxis));
  const grey = (x: number, y: number): number => {
    const at = (y * width + x) * 3;
    return 0.299 * pixels[at]! + 0.587 * pixels[at + 1]! + 0.114 * pixels[at + 2]!;
  };
  // |response| is at most 16 × 255; a histogram finds the median without sorting every sample.
  const histogram = new Uint32Array(Math.ceil((16 * 255) / responseBin) + 1);
  let samples = 0;
  for (let y = top; y <= bottom; y += step) {
    for (let x = left; x <= right; x += step) {
      const response =
        grey(x - 1, y - 1) +
        grey(x + 1, y - 1) +
        grey(x - 1, y + 1) +
        grey(x + 1, y + 1) -
        2 * (grey(x, y - 1) + grey(x - 1, y) + grey(x + 1, y) + grey(x, y + 1)) +
        4 * grey(x, y);
      histogram[Math.floor(Math.abs(response) / responseBin)]!++;
      samples++;
    }
  }
  // The median, interpolated within its bin.
  let bin = 0;
  let below = 0;
  while (below + histogram[bin]! <= samples / 2) below += histogram[bin++]!;
  const median = (bin + (samples / 2 - below) / histogram[bin]!) * responseBin;
  // For gaussian noise of deviation sigma the response has deviation 6·sigma, and |response| a median 0.6745 of that.
  return median / 0.6745 / 6;
}

function degrees(radians: number): number {
  return (radians * 180) / Math.PI;
}

function tenths(value: number): number {
  return Math.round(value * 10) / 10 || 0;
}

function hundredths(value: number): number {
  return Math.round(value * 100) / 100;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
