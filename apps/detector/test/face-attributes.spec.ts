/**
 * Face attributes against real photos whose truth is known by construction: rotated by known angles (roll),
 * mirrored (yaw and roll change sign), blurred, darkened or brightened, and with noise added. Runs the detector
 * pipeline in-process on the development photos (docs/models.md, "Face attributes").
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { DetectionModel, MeasuredAttributeName, MeasuredAttributes } from '#contracts';
import { selectBackend } from '../src/backend';
import { loadBlazeFace } from '../src/models/blazeface';
import { loadFaceApiNets } from '../src/models/face-api-loader';
import { extractFaces } from '../src/pipeline/extract-faces';

const facesDir = path.resolve(__dirname, '../../../..', '../shared/testdata/faces');
const photo = (file: string) => readFileSync(path.join(facesDir, file));
const grey = { r: 128, g: 128, b: 128 };

/** Faces turned by 10-20 degrees, to either side, frontal enough for every variant to be found. */
const turned = ['colin_powell_02.jpg', 'nancy_pelosi_01.jpg', 'pervez_musharraf_01.jpg'];
const frontal = ['deepface_mark_04.jpg', 'megawati_sukarnoputri_01.jpg', 'alejandro_toledo_01.jpg'];

before(async () => {
  await selectBackend('wasm');
  await loadFaceApiNets();
  await loadBlazeFace();
});

/** The attributes of the image's largest face; BlazeFace (detection_03) finds blurred, dark and rolled faces. */
async function attributesOf(
  image: Buffer,
  attributes: MeasuredAttributeName[] = ['headPose', 'blur', 'exposure', 'noise'],
  detectionModel: DetectionModel = 'detection_03',
): Promise<MeasuredAttributes> {
  const { faces } = await extractFaces({
    image,
    detectionModel,
    recognitionModel: 'recognition_01',
    purpose: 'detect',
    attributes,
  });
  assert.ok(faces.length > 0, 'a face is found');
  return faces[0]!.attributes!;
}

/** Independent gaussian noise of deviation `sigma` in each channel (fixed seed), kept lossless as PNG. */
async function withNoise(image: Buffer, sigma: number): Promise<Buffer> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let seed = 7;
  const uniform = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) + 1) / 0x80000000;
  const noisy = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) {
    const gaussian = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    noisy[i] = Math.min(255, Math.max(0, Math.round(data[i]! + sigma * gaussian)));
  }
  return sharp(noisy, { raw: { width: info.width, height: info.height, channels: 3 } })
    .png()
    .toBuffer();
}

test('roll follows a rotation of the photo by a known angle, within 4 degrees', async () => {
  for (const file of [...frontal, turned[0]!]) {
    const upright = (await attributesOf(photo(file), ['headPose'])).headPose!;
    for (const angle of [-25, 15]) {
      const rotated = await sharp(photo(file)).rotate(angle, { background: grey }).jpeg({ quality: 92 }).toBuffer();
      const { roll } = (await attributesOf(rotated, ['headPose'])).headPose!;
      assert.ok(
        Math.abs(roll - upright.roll - angle) <= 4,
        `${file} rotated ${angle}: roll ${upright.roll} -> ${roll}`,
      );
    }
  }
});

test('yaw and roll change sign when a turned face is mirrored', async () => {
  for (const file of turned) {
    const pose = (await attributesOf(photo(file), ['headPose'])).headPose!;
    const mirrored = (await attributesOf(await sharp(photo(file)).flop().toBuffer(), ['headPose'])).headPose!;
    assert.ok(Math.abs(pose.yaw) >= 8, `${file} is turned: yaw ${pose.yaw}`);
    assert.ok(Math.sign(mirrored.yaw) === -Math.sign(pose.yaw), `${file}: yaw ${pose.yaw} mirrored ${mirrored.yaw}`);
    assert.ok(Math.abs(mirrored.yaw + pose.yaw) <= 6, `${file}: yaw ${pose.yaw} mirrored ${mirrored.yaw}`);
    assert.ok(Math.abs(mirrored.roll + pose.roll) <= 3, `${file}: roll ${pose.roll} mirrored ${mirrored.roll}`);
  }
});

test('blur rises with the sigma of a gaussian blur: the photos low, sigma 3.5 medium or high', async () => {
  for (const file of frontal) {
    const values: number[] = [];
    for (const sigma of [0, 1.5, 2.5, 3.5]) {
      const image = sigma === 0 ? photo(file) : await sharp(photo(file)).blur(sigma).jpeg({ quality: 92 }).toBuffer();
      values.push((await attributesOf(image, ['blur'])).blur!);
    }
    for (let i = 1; i < values.length; i++) assert.ok(values[i]! >= values[i - 1]! - 0.02, `${file}: ${values}`);
    assert.ok(values[0]! < 0.25, `${file} is sharp: ${values}`);
    assert.ok(values[3]! >= 0.5, `${file} blurred with sigma 3.5: ${values}`);
  }
});

test('exposure: the photos good, darkened to a third under, brightened over', async () => {
  for (const file of frontal) {
    const original = (await attributesOf(photo(file), ['exposure'])).exposure!;
    const dark = await sharp(photo(file)).linear(0.35, 0).jpeg({ quality: 92 }).toBuffer();
    const bright = await sharp(photo(file)).linear(1.6, 60).jpeg({ quality: 92 }).toBuffer();
    const under = (await attributesOf(dark, ['exposure'])).exposure!;
    const over = (await attributesOf(bright, ['exposure'])).exposure!;
    assert.ok(original >= 0.25 && original < 0.75, `${file}: ${original}`);
    assert.ok(under < 0.25, `${file} darkened: ${under}`);
    assert.ok(over >= 0.75, `${file} brightened: ${over}`);
  }
});

test('noise rises with added noise: the photos low, sigma 8 medium, sigma 20 high', async () => {
  for (const file of frontal) {
    const values: number[] = [];
    for (const sigma of [0, 8, 20]) {
      const image = sigma === 0 ? photo(file) : await withNoise(photo(file), sigma);
      // SSD (detection_01) still finds the noisiest faces, BlazeFace not.
      values.push((await attributesOf(image, ['noise'], 'detection_01')).noise!);
    }
    assert.ok(values[0]! < 0.3, `${file}: ${values}`);
    assert.ok(values[1]! >= 0.3 && values[1]! < 0.7, `${file}: ${values}`);
    assert.ok(values[2]! >= 0.7, `${file}: ${values}`);
  }
});

test('attributes are measured only when asked for, with detection_01 as with detection_03', async () => {
  const image = photo(frontal[0]!);
  const plain = await extractFaces({
    image,
    detectionModel: 'detection_01',
    recognitionModel: 'recognition_01',
    purpose: 'detect',
  });
  assert.ok(!('attributes' in plain.faces[0]!));
  const some = await attributesOf(image, ['exposure', 'headPose'], 'detection_01');
  assert.deepEqual(Object.keys(some).sort(), ['exposure', 'headPose']);
});
