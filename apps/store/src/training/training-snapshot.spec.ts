import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrainingSnapshot } from './training-snapshot';

test('ranks persons by the best similarity of any of their faces', () => {
  const matrix = new Float32Array([1, 0, 0.6, 0.8, 0, 1, -1, 0]);
  const snapshot = TrainingSnapshot.fromRows(1, 2, ['a', 'b', 'b', 'c'], matrix);
  assert.deepEqual(snapshot.personIds, ['a', 'b', 'c']);
  const best = snapshot.bestSimilarityPerPerson(new Float32Array([0, 1]));
  assert.deepEqual(
    [...best].map((v) => Math.round(v * 100) / 100),
    [0, 1, 0],
  );
  assert.throws(() => snapshot.bestSimilarityPerPerson(new Float32Array([1, 0, 0])), /dimensions/);
});
