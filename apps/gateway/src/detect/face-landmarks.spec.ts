import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AzureLandmarkNames, azureLandmarks } from './face-landmarks';
import { qualityForRecognition } from './face-quality';

test('maps 68 points to the 27 Azure landmark names', () => {
  const points = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 100 + i }));
  const landmarks = azureLandmarks(points);
  assert.deepEqual(Object.keys(landmarks), [...AzureLandmarkNames]);
  assert.deepEqual(landmarks.noseTip, { x: 30, y: 130 });
  assert.deepEqual(landmarks.pupilLeft, { x: 38.5, y: 138.5 });
  assert.ok(landmarks.pupilLeft.x < landmarks.pupilRight.x);
  assert.throws(() => azureLandmarks(points.slice(1)), /68/);
});

test('quality follows face size and sharpness', () => {
  const face = (side: number, sharpness: number) => ({
    rectangle: { left: 0, top: 0, width: side, height: side },
    sharpness,
  });
  assert.equal(qualityForRecognition(face(120, 0.3)), 'high');
  assert.equal(qualityForRecognition(face(120, 0.1)), 'medium');
  assert.equal(qualityForRecognition(face(120, 0.05)), 'low');
  assert.equal(qualityForRecognition(face(60, 0.5)), 'medium');
  assert.equal(qualityForRecognition(face(40, 0.5)), 'low');
});
