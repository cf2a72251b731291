/**
 * Small files that declare huge pictures are refused from their header, before the decoder expands them in the
 * worker; pictures within the budget, and every accepted file of the shared edge set, still decode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { VisageError } from '#contracts';
import { DetectorConfig } from '../detector.config';
import { decodeImage } from './decode-image';

const edgeDir = path.resolve(__dirname, '../../../../..', '../shared/testdata/faces/edge');
const budgetBytes = new DetectorConfig().DETECTOR_DECODE_MEMORY_MB * 2 ** 20;

/** A 1-bit BMP of alternating pixels: about 5 MB on disk for 40 megapixels. */
function oneBitBitmap(width: number, height: number): Buffer {
  const stride = Math.ceil(width / 32) * 4;
  const header = Buffer.alloc(14 + 40 + 2 * 4);
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(header.length + stride * height, 2);
  header.writeUInt32LE(header.length, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(width, 18);
  header.writeInt32LE(height, 22);
  header.writeUInt16LE(1, 26); // planes
  header.writeUInt16LE(1, 28); // bits per pixel
  header.writeUInt32LE(stride * height, 34);
  header.writeUInt32LE(2, 46); // palette entries
  header.writeUInt32LE(0x00ffffff, 58); // black, then white
  return Buffer.concat([header, Buffer.alloc(stride * height, 0x55)]);
}

/** A one-colour GIF, a few kilobytes, written by another process so its encoding leaves no trace in this one. */
function solidGif(width: number, height: number): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'visage-gif-'));
  const file = path.join(dir, 'solid.gif');
  try {
    const script = `require(${JSON.stringify(require.resolve('sharp'))})({ create: { width: ${width}, height: ${height}, channels: 3,
      background: { r: 90, g: 120, b: 200 } }, limitInputPixels: false }).gif().toFile(${JSON.stringify(file)})`;
    const made = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Decodes, and reports the refusal and how much the peak memory of this process grew meanwhile. */
async function decodeMeasured(bytes: Buffer): Promise<{ refusal?: VisageError; peakGrowthBytes: number }> {
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  let refusal: VisageError | undefined;
  try {
    await decodeImage(bytes, budgetBytes);
  } catch (error) {
    assert.ok(error instanceof VisageError, `not a catalogue error: ${String(error)}`);
    refusal = error;
  }
  return { refusal, peakGrowthBytes: process.resourceUsage().maxRSS * 1024 - peakBefore };
}

for (const [name, make] of [
  ['1-bit BMP', () => oneBitBitmap(8000, 5000)],
  ['one-colour GIF', () => solidGif(8000, 5000)],
] as const) {
  test(`a 40-megapixel ${name} is refused from its header, naming the limit, without decoding`, async () => {
    const bytes = make();
    const { refusal, peakGrowthBytes } = await decodeMeasured(bytes);
    assert.equal(refusal?.key, 'IMAGE_TOO_MANY_PIXELS');
    assert.equal(refusal.entry.status, 400);
    assert.match(refusal.message, new RegExp(`8000x5000 .* over the limit of ${budgetBytes / 2 ** 20} MiB per image`));
    assert.ok(peakGrowthBytes < 32 * 2 ** 20, `peak memory grew by ${Math.round(peakGrowthBytes / 2 ** 20)} MiB`);
  });
}

test('the same kinds of picture within the budget decode', async () => {
  for (const bytes of [oneBitBitmap(4000, 2500), solidGif(4000, 2500)]) {
    const image = await decodeImage(bytes, budgetBytes);
    assert.deepEqual([image.width, image.height, image.workingWidth, image.workingHeight], [4000, 2500, 1920, 1200]);
  }
});

test('every accepted file of the edge set decodes within the default budget', async () => {
  const edgeCases: { file: string; expect: string }[] = JSON.parse(
    readFileSync(path.join(edgeDir, 'manifest.json'), 'utf8'),
  );
  const accepted = edgeCases.filter(
    (edge) => !['image_too_small', 'invalid_image', 'unsupported_format', 'too_many_pixels'].includes(edge.expect),
  );
  assert.ok(accepted.length > 5);
  for (const edge of accepted) {
    const image = await decodeImage(readFileSync(path.join(edgeDir, edge.file)), budgetBytes);
    assert.ok(image.workingWidth > 0, edge.file);
  }
});
