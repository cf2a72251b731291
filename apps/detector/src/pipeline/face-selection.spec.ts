/** The targetFace and size rules decide which face a person gets; pinned here without any model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ExtractRequest, type FaceRectangle, VisageError } from '#contracts';
import { checkTargetFace, oneFaceToEnrol, selectFaces } from './face-selection';

const image = { width: 800, height: 600 };
const face = (left: number, top: number, size: number, sharpness = 0.4) => ({
  rectangle: { left, top, width: size, height: size },
  score: 0.9,
  sharpness,
});
const small = face(10, 10, 40);
const large = face(300, 100, 120);
const medium = face(500, 300, 80);
const tooSmall = face(700, 10, 30);

function refusal(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof VisageError);
    return error.key;
  }
  return undefined;
}

const enrol = (targetFace?: FaceRectangle): Pick<ExtractRequest, 'purpose' | 'targetFace'> => ({
  purpose: 'enrol',
  targetFace,
});

/** Both enrolment stages, as the detector runs them around describing the faces. */
function enrolFace(faces: ReturnType<typeof face>[], request: Pick<ExtractRequest, 'purpose' | 'targetFace'>) {
  return [oneFaceToEnrol(selectFaces(faces, image, request), request)];
}

test('detect keeps faces of allowed size, largest first, up to maxFaces', () => {
  const faces = [small, large, tooSmall, medium];
  assert.deepEqual(selectFaces(faces, image, { purpose: 'detect' }), [large, medium, small]);
  assert.deepEqual(selectFaces(faces, image, { purpose: 'detect', maxFaces: 2 }), [large, medium]);
  assert.deepEqual(selectFaces([tooSmall], image, { purpose: 'detect' }), []);
});

test('enrol without targetFace needs exactly one face of allowed size', () => {
  assert.deepEqual(enrolFace([large, tooSmall], enrol()), [large]);
  assert.equal(
    refusal(() => enrolFace([tooSmall], enrol())),
    'NO_FACE_DETECTED',
  );
  assert.equal(
    refusal(() => enrolFace([large, medium], enrol())),
    'MULTIPLE_FACES',
  );
});

test('enrol with targetFace takes the one face whose centre lies inside it', () => {
  const faces = [small, large, medium];
  assert.deepEqual(enrolFace(faces, enrol({ left: 290, top: 90, width: 100, height: 100 })), [large]);
  assert.equal(
    refusal(() => enrolFace(faces, enrol({ left: 0, top: 300, width: 100, height: 100 }))),
    'TARGET_FACE_NO_FACE',
  );
  assert.equal(
    refusal(() => enrolFace(faces, enrol({ left: 300, top: 100, width: 300, height: 300 }))),
    'TARGET_FACE_MULTIPLE_FACES',
  );
});

test('boxes far less sharp than the main face do not count against the one-face rule, whatever their size', () => {
  // A poster or patterned backdrop boxed at nearly the main face's size, with almost no facial detail.
  const backdrop = face(500, 100, 115, 0.03);
  assert.deepEqual(enrolFace([large, backdrop], enrol()), [large]);
  assert.deepEqual(enrolFace([backdrop, large, face(40, 300, 110, 0.02)], enrol()), [large]);
  // A second real face, even a softer one, still counts.
  assert.equal(
    refusal(() => enrolFace([large, face(500, 100, 100, 0.15)], enrol())),
    'MULTIPLE_FACES',
  );
  assert.equal(
    refusal(() =>
      enrolFace([large, face(500, 100, 100, 0.15)], enrol({ left: 250, top: 50, width: 500, height: 300 })),
    ),
    'TARGET_FACE_MULTIPLE_FACES',
  );
});

test('a targetFace must be a whole-pixel rectangle inside the picture', () => {
  assert.doesNotThrow(() => checkTargetFace({ left: 0, top: 0, width: 800, height: 600 }, image));
  for (const outside of [
    { left: -1, top: 0, width: 10, height: 10 },
    { left: 795, top: 0, width: 10, height: 10 },
    { left: 0, top: 0, width: 0, height: 10 },
    { left: 0.5, top: 0, width: 10, height: 10 },
  ]) {
    assert.equal(
      refusal(() => checkTargetFace(outside, image)),
      'TARGET_FACE_OUT_OF_RANGE',
    );
  }
});
