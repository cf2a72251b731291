/** Pins the upload rules that the gateway and the detector both rely on, with real files of the shared set. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Limits, VisageError } from '#contracts';
import { checkImageBytes, isFaceSizeAllowed, minimumFaceSize, sniffImageFormat } from './image-rules';

const repoRoot = path.resolve(__dirname, '../../../..');
const edgeDir = path.resolve(repoRoot, '../shared/testdata/faces/edge');
const edgeFile = (name: string): Buffer => readFileSync(path.join(edgeDir, name));

function assertRefusedWith(bytes: Buffer, key: string): void {
  assert.throws(
    () => checkImageBytes(bytes),
    (error: unknown) => error instanceof VisageError && error.key === key,
  );
}

test('sniffImageFormat reads the format from the bytes, not the name', () => {
  assert.equal(sniffImageFormat(edgeFile('single_face.jpg')), 'jpeg');
  assert.equal(sniffImageFormat(edgeFile('single_face_progressive.jpg')), 'jpeg');
  assert.equal(sniffImageFormat(edgeFile('single_face.png')), 'png');
  assert.equal(sniffImageFormat(edgeFile('single_face.gif')), 'gif');
  assert.equal(sniffImageFormat(edgeFile('single_face.bmp')), 'bmp');
  assert.equal(sniffImageFormat(edgeFile('webp_named_jpg.jpg')), null);
  assert.equal(sniffImageFormat(edgeFile('unsupported.webp')), null);
  assert.equal(sniffImageFormat(edgeFile('unsupported.tiff')), null);
  assert.equal(sniffImageFormat(edgeFile('not_an_image.jpg')), null);
  assert.equal(sniffImageFormat(Buffer.alloc(0)), null);
  assert.equal(sniffImageFormat(Buffer.from('BM is not a bitmap when no info header follows')), null);
});

test('checkImageBytes refuses empty, small, large and unsupported uploads', () => {
  assertRefusedWith(Buffer.alloc(0), 'IMAGE_TOO_SMALL');
  assertRefusedWith(edgeFile('empty.jpg'), 'IMAGE_TOO_SMALL');
  assertRefusedWith(edgeFile('under_1kb.jpg'), 'IMAGE_TOO_SMALL');
  const oversized = Buffer.concat([edgeFile('single_face.jpg'), Buffer.alloc(Limits.imageMaxBytes)]);
  assertRefusedWith(oversized, 'IMAGE_TOO_LARGE');
  assertRefusedWith(edgeFile('not_an_image.jpg'), 'INVALID_IMAGE');
  assertRefusedWith(edgeFile('unsupported.webp'), 'INVALID_IMAGE');
  assertRefusedWith(edgeFile('unsupported.tiff'), 'INVALID_IMAGE');
  assert.equal(checkImageBytes(edgeFile('single_face.bmp')), 'bmp');
  assert.equal(checkImageBytes(edgeFile('pixel_flood_12000x12000.png')), 'png');
});

test('minimumFaceSize is 36 px up to 1920x1080 and grows with the longer side', () => {
  assert.equal(minimumFaceSize(330, 440), 36);
  assert.equal(minimumFaceSize(1920, 1080), 36);
  assert.equal(minimumFaceSize(1080, 1920), 36);
  assert.equal(minimumFaceSize(3840, 2160), 72);
  assert.equal(minimumFaceSize(3024, 4032), 76);
});

test('isFaceSizeAllowed applies the minimum to the shorter side and the maximum to the longer one', () => {
  const hd = { width: 1920, height: 1080 };
  assert.equal(isFaceSizeAllowed({ width: 24, height: 30 }, hd), false);
  assert.equal(isFaceSizeAllowed({ width: 36, height: 44 }, hd), true);
  assert.equal(isFaceSizeAllowed({ width: 50, height: 60 }, { width: 3840, height: 2160 }), false);
  assert.equal(isFaceSizeAllowed({ width: 4000, height: 4100 }, { width: 6000, height: 6000 }), false);
});
