/** The face chip is pure geometry: pinned here on synthetic landmarks and pictures, without any model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Point } from '#contracts';
import {
  chipTransform,
  leastSquaresSimilarity,
  mapPoint,
  meanFaceInChip,
  renderChip,
  type SimilarityTransform,
} from './face-chip';

/** Rotation by `degrees`, uniform `scale`, then a shift. */
function similarity(degrees: number, scale: number, x: number, y: number): SimilarityTransform {
  const angle = (degrees * Math.PI) / 180;
  return { a: scale * Math.cos(angle), b: scale * Math.sin(angle), x, y };
}

test('the least-squares similarity recovers a known rotation, scale and shift exactly', () => {
  const known = similarity(-37, 2.5, 310, -42);
  const from = [
    { x: 0, y: 0 },
    { x: 10, y: 3 },
    { x: -4, y: 8 },
    { x: 7, y: -6 },
  ];
  const found = leastSquaresSimilarity(
    from,
    from.map((p) => mapPoint(known, p)),
  );
  for (const key of ['a', 'b', 'x', 'y'] as const) {
    assert.ok(Math.abs(found[key] - known[key]) < 1e-9, `${key}: ${found[key]} vs ${known[key]}`);
  }
});

test('a tilted face is rotated upright onto the mean face: eyes level, landmarks on the template', () => {
  const size = 150;
  const padding = 0.25;
  // A face whose landmarks lie exactly on the template, rolled by 30 degrees, 3x larger and moved.
  const rolled = similarity(30, 3, 500, 200);
  const landmarks: Point[] = Array.from({ length: 68 }, () => ({ x: Number.NaN, y: Number.NaN }));
  for (const { landmark, point } of meanFaceInChip(size, padding)) landmarks[landmark] = mapPoint(rolled, point);
  const transform = chipTransform(landmarks, size, padding);
  for (const key of ['a', 'b', 'x', 'y'] as const) {
    assert.ok(Math.abs(transform[key] - rolled[key]) < 1e-9, `${key}: ${transform[key]} vs ${rolled[key]}`);
  }
  const [outerLeftEye, outerRightEye] = [36, 45].map((i) => mapPoint(inverse(transform), landmarks[i]!));
  assert.ok(Math.abs(outerLeftEye!.y - outerRightEye!.y) < 1e-9, 'eyes level in the chip');
});

test('the chip samples the picture through the transform and averages large faces instead of aliasing', () => {
  // A 400x400 picture of vertical stripes one pixel wide: black and white alternate.
  const width = 400;
  const pixels = new Uint8Array(width * width * 3);
  for (let row = 0; row < width; row++) {
    for (let column = 0; column < width; column += 2)
      pixels.fill(255, (row * width + column) * 3, (row * width + column) * 3 + 3);
  }
  const picture = { pixels, width, height: width };
  const identity = renderChip(picture, similarity(0, 1, 10, 10), 8).arraySync();
  assert.deepEqual(
    identity[0]!.map((pixel) => pixel[0]),
    [255, 0, 255, 0, 255, 0, 255, 0],
    'scale 1 reads the pixels themselves',
  );
  const shrunk = renderChip(picture, similarity(0, 4, 10, 10), 8).dataSync();
  for (const value of shrunk) assert.ok(Math.abs(value - 127.5) < 1, `4x shrink averages the stripes: ${value}`);
});

function inverse({ a, b, x, y }: SimilarityTransform): SimilarityTransform {
  const det = a * a + b * b;
  const ia = a / det;
  const ib = -b / det;
  return { a: ia, b: ib, x: -(ia * x - ib * y), y: -(ib * x + ia * y) };
}
