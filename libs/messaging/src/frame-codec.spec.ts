import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFrame, encodeFrame } from './frame-codec';

test('round-trips JSON with raw bytes and float32 vectors', () => {
  const image = Buffer.from([0xff, 0xd8, 0x00, 0x01, 0x02]);
  const embedding = new Float32Array([0.25, -1.5, 3.125]);
  const decoded = decodeFrame<{ a: number; image: Buffer; nested: { embedding: Float32Array }; none: null }>(
    encodeFrame({ a: 1, image, nested: { embedding }, none: null }),
  );
  assert.equal(decoded.a, 1);
  assert.ok(Buffer.isBuffer(decoded.image));
  assert.deepEqual([...decoded.image], [...image]);
  assert.ok(decoded.nested.embedding instanceof Float32Array);
  assert.deepEqual([...decoded.nested.embedding], [0.25, -1.5, 3.125]);
  assert.equal(decoded.none, null);
});

test('round-trips JSON without bytes, strings that name the markers included, and empty byte payloads', () => {
  const value = { list: [{ id: 'a', userData: '{"$bin": [0, 1]} and "$f32"' }], count: 2, none: null };
  assert.deepEqual(decodeFrame(encodeFrame(value)), value);
  const empty = decodeFrame<{ image: Buffer }>(encodeFrame({ image: Buffer.alloc(0) }));
  assert.ok(Buffer.isBuffer(empty.image) && empty.image.length === 0);
});

test('keeps bytes out of the JSON head', () => {
  const image = Buffer.alloc(10_000, 7);
  const frame = encodeFrame({ image });
  assert.ok(frame.readUInt32BE(0) < 100);
  assert.equal(frame.length, 4 + frame.readUInt32BE(0) + 10_000);
});

test('rejects frames whose slots point outside the tail', () => {
  const head = Buffer.from(JSON.stringify({ image: { $bin: [0, 50] } }));
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(head.length, 0);
  assert.throws(() => decodeFrame(Buffer.concat([prefix, head, Buffer.alloc(10)])), /out of range/);
});
