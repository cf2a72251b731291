/**
 * Which detected faces count is a product rule (Azure's size limits and targetFace semantics), independent
 * of the network that found them; keeping it pure makes the rule testable without loading a model.
 */
import { type ExtractRequest, type FaceRectangle, VisageError } from '#contracts';
import { isFaceSizeAllowed } from '#imaging';

export interface Size {
  width: number;
  height: number;
}

export interface CandidateFace {
  /** Integer rectangle in upright upload pixels, clipped to the picture. */
  rectangle: FaceRectangle;
  score: number;
}

/** A targetFace must lie inside the picture; checked before detection so a bad request costs nothing. */
export function checkTargetFace(targetFace: FaceRectangle, image: Size): void {
  const { left, top, width, height } = targetFace;
  const inside =
    [left, top, width, height].every(Number.isInteger) &&
    left >= 0 &&
    top >= 0 &&
    width > 0 &&
    height > 0 &&
    left + width <= image.width &&
    top + height <= image.height;
  if (!inside) {
    throw new VisageError('TARGET_FACE_OUT_OF_RANGE');
  }
}

/**
 * Drops faces outside the size rule and orders the rest largest first, then applies the purpose: `detect` keeps up
 * to `maxFaces`; `enrol` keeps the faces that may be the one to enrol (those in `targetFace` when given), which
 * `oneFaceToEnrol` then narrows to exactly one once their sharpness is known.
 */
export function selectFaces<Face extends CandidateFace>(
  faces: Face[],
  image: Size,
  request: Pick<ExtractRequest, 'purpose' | 'targetFace' | 'maxFaces'>,
): Face[] {
  const counted = faces
    .filter((face) => isFaceSizeAllowed(face.rectangle, image))
    .sort((a, b) => area(b.rectangle) - area(a.rectangle));
  if (request.purpose === 'detect') {
    return counted.slice(0, request.maxFaces ?? counted.length);
  }
  if (request.targetFace === undefined) {
    return counted;
  }
  checkTargetFace(request.targetFace, image);
  const target = request.targetFace;
  // A face belongs to the target when its centre lies inside it: robust to the few pixels by which a caller's
  // rectangle (often from another detector) and ours disagree, and a centre lies in at most one of two
  // rectangles that each tightly frame one face.
  return counted.filter((face) => contains(target, centre(face.rectangle)));
}

/**
 * A face whose sharpness is under this share of the sharpest face's does not count against the one-face rule:
 * a person judging the photo sees one face and a patch of backdrop or a smear, not two faces (detection models
 * that look harder put such boxes on posters and patterned backdrops; docs/models.md).
 */
export const strayFaceSharpnessShare = 0.25;

/** Enrolment needs exactly one face, not counting stray boxes far less sharp than the main face. */
export function oneFaceToEnrol<Face extends CandidateFace & { sharpness: number }>(
  faces: Face[],
  request: Pick<ExtractRequest, 'targetFace'>,
): Face {
  const sharpest = Math.max(...faces.map((face) => face.sharpness));
  const counted = faces.filter((face) => face.sharpness >= sharpest * strayFaceSharpnessShare);
  return request.targetFace === undefined
    ? exactlyOne(counted, 'NO_FACE_DETECTED', 'MULTIPLE_FACES')
    : exactlyOne(counted, 'TARGET_FACE_NO_FACE', 'TARGET_FACE_MULTIPLE_FACES');
}

function exactlyOne<Face>(
  faces: Face[],
  none: 'NO_FACE_DETECTED' | 'TARGET_FACE_NO_FACE',
  several: 'MULTIPLE_FACES' | 'TARGET_FACE_MULTIPLE_FACES',
): Face {
  if (faces.length === 0) {
    throw new VisageError(none);
  }
  if (faces.length > 1) {
    throw new VisageError(several);
  }
  return faces[0]!;
}

function area(rectangle: FaceRectangle): number {
  return rectangle.width * rectangle.height;
}

function centre(rectangle: FaceRectangle): { x: number; y: number } {
  return { x: rectangle.left + rectangle.width / 2, y: rectangle.top + rectangle.height / 2 };
}

function contains(rectangle: FaceRectangle, point: { x: number; y: number }): boolean {
  return (
    point.x >= rectangle.left &&
    point.x < rectangle.left + rectangle.width &&
    point.y >= rectangle.top &&
    point.y < rectangle.top + rectangle.height
  );
}
