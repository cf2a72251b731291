/** The decode memory estimate charges the decoders that hold a picture whole, and not those that stream it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMemoryBytes, type ImageHeader } from './decode-memory';

const megapixels40 = { width: 8000, height: 5000 };
const working = 1920 * 1200;

function header(overrides: Partial<ImageHeader>): ImageHeader {
  return {
    format: 'jpeg',
    ...megapixels40,
    channels: 3,
    bytesPerSample: 1,
    progressive: false,
    orientation: 1,
    ...overrides,
  };
}

test('streamed baseline JPEG and plain PNG cost only the working picture', () => {
  assert.equal(decodeMemoryBytes(header({ format: 'jpeg', orientation: 6 }), working), working * 3);
  assert.equal(decodeMemoryBytes(header({ format: 'png', channels: 4, bytesPerSample: 2 }), working), working * 3);
});

test('whole-picture decoders cost every pixel at their decoded depth', () => {
  const pixels = 40_000_000;
  const cost = (h: Partial<ImageHeader>) => (decodeMemoryBytes(header(h), working) - working * 3) / pixels;
  assert.equal(cost({ format: 'bmp' }), 7);
  assert.equal(cost({ format: 'gif' }), 4);
  assert.equal(cost({ format: 'png', progressive: true, channels: 4 }), 4);
  assert.equal(cost({ format: 'png', orientation: 6, channels: 3, bytesPerSample: 2 }), 6);
  assert.equal(cost({ progressive: true, chromaSubsampling: '4:2:0' }), 3);
  assert.equal(cost({ progressive: true, chromaSubsampling: '4:4:4' }), 6);
  assert.equal(cost({ progressive: true, channels: 4, chromaSubsampling: '4:4:4:4' }), 8);
  assert.equal(cost({ progressive: true, channels: 1 }), 2);
});
