import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isVisageError, type ExtractedFace } from '#contracts';
import {
  blurLevel,
  exposureLevel,
  faceAttributesOf,
  measuredAttributesOf,
  noiseLevel,
  parseFaceAttributes,
} from './face-attributes';

function refusal(run: () => unknown): { key: string; message: string } {
  try {
    run();
  } catch (error) {
    assert.ok(isVisageError(error));
    return { key: error.key, message: error.message };
  }
  assert.fail('expected a refusal');
}

test('attribute names are read in any case, each once, in the order asked', () => {
  assert.deepEqual(parseFaceAttributes(undefined, 'detection_01'), []);
  assert.deepEqual(parseFaceAttributes(' headpose,Blur ,, exposure,noise,headPose', 'detection_01'), [
    'headPose',
    'blur',
    'exposure',
    'noise',
  ]);
  assert.deepEqual(parseFaceAttributes('qualityForRecognition,blur,headPose', 'detection_03'), [
    'qualityForRecognition',
    'blur',
    'headPose',
  ]);
  assert.deepEqual(measuredAttributesOf(['qualityForRecognition', 'noise']), ['noise']);
});

test('unknown and retired names are a 400 naming them; model-backed ones a 403 naming them', () => {
  const unknown = refusal(() => parseFaceAttributes('headPose,smiles,emotion', 'detection_01'));
  assert.equal(unknown.key, 'INVALID_FACE_ATTRIBUTE');
  assert.match(unknown.message, /'smiles', 'emotion'/);
  assert.match(unknown.message, /'emotion' retired/);
  for (const name of ['glasses', 'occlusion', 'accessories', 'mask', 'age', 'smile', 'facialHair', 'hair', 'makeup']) {
    const refused = refusal(() => parseFaceAttributes(`blur,${name}`, 'detection_01'));
    assert.equal(refused.key, 'FACE_ATTRIBUTE_NOT_AVAILABLE');
    assert.match(refused.message, new RegExp(`'${name}'`));
  }
});

test('detection_02 takes no attribute and detection_03 only headPose, blur and qualityForRecognition', () => {
  const none = refusal(() => parseFaceAttributes('headPose', 'detection_02'));
  assert.equal(none.key, 'FACE_ATTRIBUTE_NOT_SUPPORTED_BY_MODEL');
  assert.match(none.message, /detection_02/);
  const some = refusal(() => parseFaceAttributes('headPose,exposure,noise', 'detection_03'));
  assert.equal(some.key, 'FACE_ATTRIBUTE_NOT_SUPPORTED_BY_MODEL');
  assert.match(some.message, /'exposure', 'noise'/);
});

test("levels follow Azure's boundaries", () => {
  assert.deepEqual([0, 0.249, 0.25, 0.749, 0.75, 1].map(blurLevel), ['low', 'low', 'medium', 'medium', 'high', 'high']);
  assert.deepEqual([0.24, 0.25, 0.74, 0.75].map(exposureLevel), [
    'underExposure',
    'goodExposure',
    'goodExposure',
    'overExposure',
  ]);
  assert.deepEqual([0.29, 0.3, 0.69, 0.7].map(noiseLevel), ['low', 'medium', 'medium', 'high']);
});

test('the view holds exactly the attributes asked for', () => {
  const face: ExtractedFace = {
    rectangle: { left: 0, top: 0, width: 120, height: 120 },
    score: 0.9,
    sharpness: 0.3,
    attributes: { headPose: { pitch: 1, roll: 2, yaw: 3 }, blur: 0.8, exposure: 0.1, noise: 0.5 },
    embedding: new Float32Array(4),
  };
  assert.deepEqual(faceAttributesOf(face, ['blur', 'qualityForRecognition']), {
    blur: { blurLevel: 'high', value: 0.8 },
    qualityForRecognition: 'high',
  });
  assert.deepEqual(faceAttributesOf(face, ['headPose', 'exposure', 'noise']), {
    headPose: { pitch: 1, roll: 2, yaw: 3 },
    exposure: { exposureLevel: 'underExposure', value: 0.1 },
    noise: { noiseLevel: 'medium', value: 0.5 },
  });
});
