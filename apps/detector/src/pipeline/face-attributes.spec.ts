/** The attribute measures are pure arithmetic on landmarks and pixels: pinned here on synthetic inputs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Point } from '#contracts';
import { blurOf, exposureOf, headPoseOf, measureAttributes, noiseSigmaOf } from './face-attributes';
import { mapPoint, meanFaceInChip } from './face-chip';

/** 68 landmarks: the mean face where it is defined, the contour's ends level with the eyes at the chip's sides. */
function meanFaceLandmarks(): Point[] {
  const points: Point[] = Array.from({ length: 68 }, () => ({ x: 75, y: 75 }));
  for (const { landmark, point } of meanFaceInChip(150, 0)) points[landmark] = point;
  points[0] = { x: 0, y: 35 };
  points[16] = { x: 150, y: 35 };
  points[57] = { x: 75, y: 125 };
  // Nose tip where a frontal face has it between the eyes (y about 32) and the mouth (about 117).
  points[30] = { x: 73.5, y: 32 + 0.55 * 85 };
  return points;
}

test('roll is the angle of the eye line, clockwise in the picture; an upright frontal face has yaw and pitch near 0', () => {
  const upright = headPoseOf(meanFaceLandmarks());
  assert.ok(Math.abs(upright.roll) < 0.5, JSON.stringify(upright));
  assert.ok(Math.abs(upright.yaw) < 2, JSON.stringify(upright));
  assert.ok(Math.abs(upright.pitch) < 3, JSON.stringify(upright));
  for (const degrees of [-40, -10, 25]) {
    const angle = (degrees * Math.PI) / 180;
    const turn = { a: Math.cos(angle), b: Math.sin(angle), x: 300, y: 200 };
    const rolled = headPoseOf(meanFaceLandmarks().map((point) => mapPoint(turn, point)));
    assert.ok(Math.abs(rolled.roll - degrees - upright.roll) < 0.2, `${degrees}: ${JSON.stringify(rolled)}`);
    assert.ok(Math.abs(rolled.yaw - upright.yaw) < 0.2, 'yaw does not change with roll');
    assert.ok(Math.abs(rolled.pitch - upright.pitch) < 0.2, 'pitch does not change with roll');
  }
});

test('yaw follows the nose towards either side of the contour; pitch follows the nose up or down', () => {
  const towardsRight = meanFaceLandmarks();
  towardsRight[30] = { x: 110, y: towardsRight[30]!.y };
  const turned = headPoseOf(towardsRight);
  assert.ok(turned.yaw > 15, JSON.stringify(turned));
  const towardsLeft = meanFaceLandmarks();
  towardsLeft[30] = { x: 150 - 110, y: towardsLeft[30]!.y };
  const mirrored = headPoseOf(towardsLeft);
  assert.ok(Math.abs(mirrored.yaw + turned.yaw) < 3, `${turned.yaw} vs ${mirrored.yaw}`);
  const up = meanFaceLandmarks();
  up[30] = { x: up[30]!.x, y: up[30]!.y - 15 };
  assert.ok(headPoseOf(up).pitch > 10, 'nose nearer the eyes: looking up');
});

test('blur falls as sharpness rises and stays in (0, 1)', () => {
  const values = [0, 0.03, 0.054, 0.1, 0.16, 0.33, 0.9].map(blurOf);
  for (let i = 1; i < values.length; i++) assert.ok(values[i]! < values[i - 1]!, values.join(', '));
  assert.ok(values.every((value) => value >= 0 && value <= 1));
  assert.ok(blurOf(0.33) < 0.25 && blurOf(0.054) > 0.75, 'development photos low, sigma 3.5 high');
});

test('exposure is the mean brightness of the chip centre', () => {
  const size = 40;
  const flat = (level: number) => new Float32Array(size * size * 3).fill(level);
  assert.equal(exposureOf(flat(0), size), 0);
  assert.ok(Math.abs(exposureOf(flat(127.5), size) - 0.5) < 1e-6);
  assert.equal(exposureOf(flat(255), size), 1);
});

test('the noise estimate recovers the deviation of gaussian noise on a smooth shaded face region', () => {
  const width = 200;
  const height = 200;
  let seed = 42;
  const uniform = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) + 1) / 0x80000000;
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  for (const sigma of [0, 4, 12]) {
    const pixels = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // The same noise in every channel, so the grey level carries all of it.
        const value = Math.round(60 + x * 0.4 + y * 0.3 + sigma * gaussian());
        pixels.fill(Math.min(255, Math.max(0, value)), (y * width + x) * 3, (y * width + x) * 3 + 3);
      }
    }
    // Rounding to whole grey levels is noise of its own (deviation 0.29), hence the margin.
    const found = noiseSigmaOf({ pixels, width, height }, { x: 20, y: 20, width: 160, height: 160 });
    assert.ok(Math.abs(found - sigma) <= 0.15 * sigma + 0.75, `sigma ${sigma}: found ${found}`);
  }
});

test('only the attributes asked for are measured', () => {
  const size = 20;
  const face = {
    landmarks: meanFaceLandmarks(),
    chip: new Float32Array(size * size * 3).fill(100),
    chipSize: size,
    sharpness: 0.3,
    region: { x: 0, y: 0, width: 10, height: 10 },
  };
  const picture = { pixels: new Uint8Array(10 * 10 * 3), width: 10, height: 10 };
  assert.deepEqual(Object.keys(measureAttributes(['blur'], picture, face)), ['blur']);
  assert.deepEqual(Object.keys(measureAttributes(['noise', 'headPose'], picture, face)), ['noise', 'headPose']);
});
