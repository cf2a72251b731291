/**
 * A worker serves thousands of extractions with one WASM heap; a tensor left behind by any path, refusals
 * included, would grow it until the worker dies. Runs the pipeline in-process to count tensors.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ExtractRequest } from '#contracts';
import { selectBackend } from '../src/backend';
import { loadFaceApiNets } from '../src/models/face-api-loader';
import { extractFaces } from '../src/pipeline/extract-faces';

const edgeDir = path.resolve(__dirname, '../../../..', '../shared/testdata/faces/edge');

before(async () => {
  await selectBackend('wasm');
  await loadFaceApiNets();
});

const requests: ExtractRequest[] = [
  { file: 'multiple_faces_5.jpg', purpose: 'detect' as const, returnLandmarks: true },
  { file: 'multiple_faces_2.jpg', purpose: 'enrol' as const },
  { file: 'multiple_faces_2.jpg', purpose: 'enrol' as const, targetFace: { left: 0, top: 0, width: 50, height: 50 } },
  { file: 'no_face_dog.jpg', purpose: 'enrol' as const },
  { file: 'truncated.jpg', purpose: 'detect' as const },
].map(({ file, ...rest }) => ({
  image: readFileSync(path.join(edgeDir, file)),
  detectionModel: 'detection_01',
  recognitionModel: 'recognition_01',
  ...rest,
}));

test('no tensor outlives an extraction, whether it succeeds or is refused', async () => {
  const settle = (request: ExtractRequest) => extractFaces(request).catch(() => undefined);
  await settle(requests[0]);
  const before = tf.memory();
  for (const request of requests) {
    await settle(request);
  }
  const after = tf.memory();
  assert.equal(after.numTensors, before.numTensors);
  assert.equal(after.numBytes, before.numBytes);
});
