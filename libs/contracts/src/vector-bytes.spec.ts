import assert from 'node:assert/strict';
import { test } from 'node:test';
import { float32ToLittleEndian, littleEndianToFloat32 } from './vector-bytes';

test('a vector round-trips through its little-endian bytes, 4 bytes a component', () => {
  const vector = new Float32Array([0.25, -1.5, 3.125, Number.MIN_VALUE]);
  const bytes = float32ToLittleEndian(vector);
  assert.equal(bytes.length, 16);
  assert.equal(bytes.readFloatLE(4), -1.5);
  assert.deepEqual([...littleEndianToFloat32(bytes)], [...vector]);
});

test('a view into a larger buffer converts only its own bytes', () => {
  const whole = new Float32Array([1, 2, 3, 4]);
  assert.deepEqual([...littleEndianToFloat32(float32ToLittleEndian(whole.subarray(1, 3)))], [2, 3]);
  const padded = Buffer.concat([Buffer.alloc(3), float32ToLittleEndian(whole)]);
  assert.deepEqual([...littleEndianToFloat32(padded.subarray(3))], [1, 2, 3, 4]);
});

test('bytes that are not whole float32 values are refused', () => {
  assert.throws(() => littleEndianToFloat32(Buffer.alloc(6)), /not a multiple of 4/);
});
