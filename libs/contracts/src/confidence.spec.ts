import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confidenceOf, defaultConfidenceThreshold, similarityFor } from './confidence';

test('confidence grows with similarity and 0.5 sits at the calibrated threshold', () => {
  assert.ok(confidenceOf(0.95) > confidenceOf(0.9) && confidenceOf(0.9) > confidenceOf(0.8));
  assert.ok(Math.abs(confidenceOf(similarityFor(defaultConfidenceThreshold)) - 0.5) < 1e-4);
  for (const c of [0.1, 0.3, 0.7, 0.9]) assert.ok(Math.abs(confidenceOf(similarityFor(c)) - c) < 1e-4);
  assert.equal(similarityFor(0), -Infinity);
  assert.ok(confidenceOf(-1) >= 0 && confidenceOf(1) <= 1);
});
