/**
 * The detector queue is bounded: with the detectors stopped and the queue at its bound, one more image is
 * refused at once with 503 DETECTOR_BUSY and Retry-After, and the images already queued are still served.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import amqp, { type ChannelModel } from 'amqplib';
import { edge, EnvelopeApi, type ApiResponse } from './support/api';
import { waitingImages } from './support/detector-queue';
import { Stack, waitFor } from './support/stack';

const queueBound = 2;

let stack: Stack;
let broker: ChannelModel;

before(async () => {
  stack = await Stack.start({ detectorWorkers: 1, env: { DETECTOR_QUEUE_MAX_LENGTH: String(queueBound) } });
  broker = await amqp.connect(stack.amqpUrl);
});

after(async () => {
  await broker?.close();
  await stack?.stop();
});

test('a full detector queue answers 503 DETECTOR_BUSY within a second; queued images are still served', async () => {
  const api = new EnvelopeApi(stack.baseUrl);
  const photo = edge('single_face.jpg');
  for (const detector of stack.running('detector')) await stack.kill(detector);

  const queued: Promise<ApiResponse<unknown[]>>[] = [];
  for (let i = 0; i < queueBound; i++) queued.push(api.call<unknown[]>('POST', '/detect', photo));
  await waitFor(async () => (await waitingImages(broker)) === queueBound, 10_000, 'the queued images');

  const started = performance.now();
  const refused = await api.call('POST', '/detect', photo);
  const elapsedMs = performance.now() - started;
  assert.equal(refused.status, 503);
  assert.equal(refused.body.error?.code, 'DETECTOR_BUSY');
  assert.match(refused.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
  assert.ok(elapsedMs < 1000, `refused after ${Math.round(elapsedMs)} ms`);

  const azure = await fetch(`${stack.baseUrl}/face/v1.0/detect`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: photo,
  });
  assert.equal(azure.status, 503);
  assert.equal(((await azure.json()) as { error: { code: string } }).error.code, 'ServiceUnavailable');
  assert.equal(await waitingImages(broker), queueBound, 'refused images never entered the queue');

  stack.spawn('detector');
  const served = await Promise.all(queued);
  assert.deepEqual(
    served.map((response) => [response.status, response.body.data?.length]),
    Array.from({ length: queueBound }, () => [200, 1]),
  );
});
