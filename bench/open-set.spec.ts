/** The open-set protocol's arithmetic, on made-up vectors whose answers are known. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fpirForGroup,
  impostorTail,
  openSetSplits,
  operatingPoint,
  personScore,
  searchAll,
  thresholdForGroup,
  type LabelledFace,
} from './open-set';

const unit = (...values: number[]) => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values.map((v) => v / norm));
};

/** Four identities along four axes, three photos each, slightly apart. */
const faces: LabelledFace[] = ['a', 'b', 'c', 'd'].flatMap((identity, axis) =>
  [0, 1, 2].map((photo) => {
    const values = [0.05 * photo, 0.05, 0.05, 0.05];
    values[axis] = 1;
    return { file: `${identity}_${photo}.jpg`, identity, embedding: unit(...values) };
  }),
);

test('each split enrols half the identities minus one photo each and searches the other half as strangers', () => {
  for (const split of openSetSplits(faces, 5)) {
    assert.equal(split.enrolled.size, 2);
    assert.equal(split.known.length, 2);
    assert.equal(split.strangers.length, 6);
    for (const known of split.known) {
      assert.ok(split.enrolled.has(known.identity));
      assert.ok(!split.enrolled.get(known.identity)!.includes(known));
    }
    assert.ok(split.strangers.every((stranger) => !split.enrolled.has(stranger.identity)));
  }
});

test('known persons are found and strangers get no candidate at a threshold between the two', () => {
  const searches = searchAll(openSetSplits(faces, 5), 'bestFace');
  assert.equal(searches.impostors.length, 5 * 6 * 2);
  assert.deepEqual(operatingPoint(searches, 0.9), { similarity: 0.9, fpir: 0, fnir: 0 });
  assert.equal(operatingPoint(searches, 0.0).fpir, 1);
  assert.equal(operatingPoint(searches, 1.01).fnir, 1);
});

test('person scores: best face, mean of the two best, mean template', () => {
  const probe = unit(1, 0);
  const enrolled = [unit(1, 0), unit(0, 1), unit(1, 1)];
  assert.ok(Math.abs(personScore(probe, enrolled, 'bestFace') - 1) < 1e-6);
  assert.ok(Math.abs(personScore(probe, enrolled, 'meanOfTop2') - (1 + Math.SQRT1_2) / 2) < 1e-6);
  // The mean of the three is along (1 + 1/√2, 1 + 1/√2): 45 degrees from the probe.
  assert.ok(Math.abs(personScore(probe, enrolled, 'meanTemplate') - Math.SQRT1_2) < 1e-6);
});

test('FPIR grows with the group, and the threshold for a target FPIR rises with it', () => {
  const impostors = Array.from({ length: 2000 }, (_, i) => 0.5 + 0.1 * Math.sin(i));
  const tail = impostorTail(impostors);
  assert.ok(fpirForGroup(tail, 1000, 0.65) > fpirForGroup(tail, 100, 0.65));
  const for100 = thresholdForGroup(tail, 100, 0.01);
  const for1000 = thresholdForGroup(tail, 1000, 0.01);
  assert.ok(for1000 > for100);
  assert.ok(Math.abs(fpirForGroup(tail, 100, for100) - 0.01) < 1e-6);
});
