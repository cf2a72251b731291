/**
 * Detect's face attributes through the whole stack: the same photo answers the same measures in the envelope
 * dialect (snake_case), the Azure dialect (Azure's camelCase) and through the official v5 client; a mirrored
 * photo turns yaw the other way; attributes Visage cannot compute are refused by name in both dialects.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FaceClient } from '@azure/cognitiveservices-face';
import { ApiKeyCredentials, type RestError } from '@azure/ms-rest-js';
import sharp from 'sharp';
import { EnvelopeApi, face, sendRequest } from './support/api';
import { Stack } from './support/stack';

let stack: Stack;
let api: EnvelopeApi;

before(async () => {
  stack = await Stack.start();
  api = new EnvelopeApi(stack.baseUrl);
});

after(async () => {
  await stack?.stop();
});

interface EnvelopeAttributes {
  head_pose: { pitch: number; roll: number; yaw: number };
  blur: { blur_level: string; value: number };
  exposure: { exposure_level: string; value: number };
  noise: { noise_level: string; value: number };
  quality_for_recognition: string;
}

interface AzureAttributes {
  headPose: { pitch: number; roll: number; yaw: number };
  blur: { blurLevel: string; value: number };
  exposure: { exposureLevel: string; value: number };
  noise: { noiseLevel: string; value: number };
  qualityForRecognition: string;
}

const all = 'headPose,blur,exposure,noise,qualityForRecognition';
/** A face turned about 15 degrees (docs/models.md). */
const turned = 'colin_powell_02.jpg';

async function envelopeAttributes(image: Buffer, query = `returnFaceAttributes=${all}`) {
  const response = await api.call<{ face_attributes?: EnvelopeAttributes }[]>('POST', `/detect?${query}`, image);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.data![0]!.face_attributes;
}

async function azureDetect(image: Buffer, query: string) {
  const response = await sendRequest(stack.baseUrl, 'POST', `/face/v1.2/detect?${query}`, image);
  return { status: response.status, body: (await response.json()) as unknown };
}

test('the envelope dialect answers each attribute asked for in snake_case, with levels and values in range', async () => {
  const attributes = (await envelopeAttributes(face(turned)))!;
  assert.deepEqual(Object.keys(attributes), ['head_pose', 'blur', 'exposure', 'noise', 'quality_for_recognition']);
  assert.deepEqual(Object.keys(attributes.head_pose), ['pitch', 'roll', 'yaw']);
  assert.ok(Math.abs(attributes.head_pose.yaw) >= 8, JSON.stringify(attributes.head_pose));
  assert.deepEqual(attributes.blur, { blur_level: 'low', value: attributes.blur.value });
  assert.equal(attributes.exposure.exposure_level, 'goodExposure');
  assert.equal(attributes.noise.noise_level, 'low');
  for (const { value } of [attributes.blur, attributes.exposure, attributes.noise]) assert.ok(value >= 0 && value <= 1);

  const mirrored = (await envelopeAttributes(
    await sharp(face(turned)).flop().toBuffer(),
    'returnFaceAttributes=headPose',
  ))!;
  assert.deepEqual(Object.keys(mirrored), ['head_pose']);
  assert.equal(Math.sign(mirrored.head_pose.yaw), -Math.sign(attributes.head_pose.yaw));

  assert.equal(await envelopeAttributes(face(turned), 'returnFaceId=false'), undefined, 'only when asked');
  const darkened = await sharp(face('deepface_mark_04.jpg')).linear(0.35, 0).jpeg({ quality: 92 }).toBuffer();
  const dark = await api.call<{ face_attributes: EnvelopeAttributes }[]>(
    'POST',
    '/detect?returnFaceAttributes=exposure',
    darkened,
  );
  assert.equal(dark.body.data![0]?.face_attributes.exposure.exposure_level, 'underExposure', JSON.stringify(dark.body));
});

test("the Azure dialect and the v5 client answer the same measures in Azure's camelCase", async () => {
  const envelope = (await envelopeAttributes(face(turned)))!;
  const azure = await azureDetect(face(turned), `returnFaceId=false&returnFaceAttributes=${all}`);
  assert.equal(azure.status, 200, JSON.stringify(azure.body));
  const [found] = azure.body as { faceAttributes: AzureAttributes }[];
  assert.deepEqual(found!.faceAttributes, {
    headPose: envelope.head_pose,
    blur: { blurLevel: envelope.blur.blur_level, value: envelope.blur.value },
    exposure: { exposureLevel: envelope.exposure.exposure_level, value: envelope.exposure.value },
    noise: { noiseLevel: envelope.noise.noise_level, value: envelope.noise.value },
    qualityForRecognition: envelope.quality_for_recognition,
  });

  const v5 = new FaceClient(
    new ApiKeyCredentials({ inHeader: { 'Ocp-Apim-Subscription-Key': 'unused-key-0123456789' } }),
    stack.baseUrl,
  );
  const [detected] = await v5.face.detectWithStream(face(turned), {
    returnFaceAttributes: ['headPose', 'blur', 'exposure', 'noise'],
  });
  const attributes = detected!.faceAttributes!;
  assert.deepEqual(attributes.headPose, envelope.head_pose);
  assert.equal(attributes.blur!.value, envelope.blur.value);
  assert.equal(attributes.exposure!.exposureLevel, 'goodExposure');
  assert.equal(attributes.noise!.noiseLevel, 'low');
});

test('attributes Visage cannot compute are refused by name, in both dialects', async () => {
  const cases = [
    {
      query: 'returnFaceAttributes=headPose,glasses',
      status: 403,
      code: 'FACE_ATTRIBUTE_NOT_AVAILABLE',
      azure: 'UnsupportedFeature',
      names: /'glasses'/,
    },
    {
      query: 'returnFaceAttributes=age',
      status: 403,
      code: 'FACE_ATTRIBUTE_NOT_AVAILABLE',
      azure: 'UnsupportedFeature',
      names: /'age'/,
    },
    {
      query: 'returnFaceAttributes=emotion',
      status: 400,
      code: 'INVALID_FACE_ATTRIBUTE',
      azure: 'BadArgument',
      names: /'emotion'/,
    },
    {
      query: 'returnFaceAttributes=blur,sharpness',
      status: 400,
      code: 'INVALID_FACE_ATTRIBUTE',
      azure: 'BadArgument',
      names: /'sharpness'/,
    },
    {
      query: 'detectionModel=detection_03&returnFaceAttributes=headPose,noise',
      status: 400,
      code: 'FACE_ATTRIBUTE_NOT_SUPPORTED_BY_MODEL',
      azure: 'BadArgument',
      names: /'noise'/,
    },
    {
      query: 'detectionModel=detection_02&returnFaceAttributes=headPose',
      status: 400,
      code: 'FACE_ATTRIBUTE_NOT_SUPPORTED_BY_MODEL',
      azure: 'BadArgument',
      names: /detection_02/,
    },
  ];
  for (const { query, status, code, azure, names } of cases) {
    const envelope = await api.call('POST', `/detect?${query}`, face(turned));
    assert.equal(envelope.status, status, query);
    assert.equal(envelope.body.error!.code, code, query);
    assert.match(envelope.body.error!.message, names);
    const answer = await azureDetect(face(turned), query);
    assert.equal(answer.status, status, query);
    const { error } = answer.body as { error: { code: string; message: string } };
    assert.equal(error.code, azure, query);
    assert.match(error.message, names);
  }
  const v5 = new FaceClient(new ApiKeyCredentials({ inHeader: { 'Ocp-Apim-Subscription-Key': 'k' } }), stack.baseUrl);
  await assert.rejects(
    v5.face.detectWithStream(face(turned), { returnFaceAttributes: ['glasses'] }),
    (error: RestError) => {
      assert.equal(error.statusCode, 403);
      assert.equal(error.code, 'UnsupportedFeature');
      return true;
    },
  );
});
