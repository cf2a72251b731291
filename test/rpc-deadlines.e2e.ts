/**
 * A request whose deadline passes before the broker has even confirmed its publish (a tiny remaining time, say
 * after waiting for a detector place) fails with TIMEOUT like any other; it never becomes an unhandled rejection,
 * which would end the gateway process. Against the real broker, in a vhost of its own.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { connect, type ChannelModel } from 'amqplib';
import type { VisageError } from '#contracts';
import { declareTopology, RpcClient } from '#messaging';
import { brokerUrl, management } from './support/stack';

const vhost = `visage-test-${randomBytes(4).toString('hex')}`;
let broker: ChannelModel;
let rpc: RpcClient;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

before(async () => {
  await management('PUT', `/api/vhosts/${vhost}`);
  await management('PUT', `/api/permissions/${vhost}/guest`, { configure: '.*', write: '.*', read: '.*' });
  broker = await connect(brokerUrl(vhost));
  const channel = await broker.createChannel();
  await declareTopology(channel, 2);
  await channel.close();
  rpc = await RpcClient.connect(brokerUrl(vhost), { name: 'visage-test', defaultTimeoutMs: 30_000 });
  process.on('unhandledRejection', onUnhandled);
});

after(async () => {
  process.off('unhandledRejection', onUnhandled);
  await rpc?.close();
  await broker?.close();
  await management('DELETE', `/api/vhosts/${vhost}`);
});

test('requests whose deadline passes before the publish is confirmed fail with TIMEOUT, nothing unhandled', async () => {
  const image = Buffer.alloc(2048, 0x20);
  const sends = Array.from({ length: 50 }, () =>
    rpc.send(
      'detector.extract',
      { image, detectionModel: 'detection_01', recognitionModel: 'recognition_01', purpose: 'detect' },
      { timeoutMs: 1 },
    ),
  );
  const outcomes = await Promise.allSettled(sends);
  for (const outcome of outcomes) {
    assert.equal(outcome.status, 'rejected');
    assert.equal((outcome.reason as VisageError).key, 'TIMEOUT');
  }
  // Give a late rejection the turns it would need to surface.
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(unhandled, []);
});
