import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confidenceOf, identifyConfidenceThresholds, similarityFor, verifyConfidenceThreshold } from './confidence';
import { RecognitionModels } from './models';

test('for every model, confidence grows with similarity and 0.5 sits at the calibrated threshold', () => {
  for (const m of RecognitionModels) {
    assert.ok(confidenceOf(0.95, m) > confidenceOf(0.9, m) && confidenceOf(0.9, m) > confidenceOf(0.8, m));
    assert.ok(Math.abs(confidenceOf(similarityFor(verifyConfidenceThreshold, m), m) - 0.5) < 1e-4);
    for (const c of [0.1, 0.3, 0.7, 0.9]) assert.ok(Math.abs(confidenceOf(similarityFor(c, m), m) - c) < 1e-4);
    assert.equal(similarityFor(0, m), -Infinity);
    assert.ok(confidenceOf(-1, m) >= 0 && confidenceOf(1, m) <= 1);
  }
});

test("identify's default is its own per model, stricter than verify's split", () => {
  for (const m of RecognitionModels) {
    assert.ok(identifyConfidenceThresholds[m] > verifyConfidenceThreshold && identifyConfidenceThresholds[m] < 1);
  }
});
