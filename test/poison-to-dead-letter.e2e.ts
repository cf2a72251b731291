/** A write that keeps failing is dead-lettered after the delivery limit and its caller gets WRITE_FAILED. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { VisageError } from '#contracts';
import type { RpcClient } from '#messaging';
import { EnvelopeApi } from './support/api';
import { addFaceRequest, connectRpc } from './support/rpc';
import { Stack } from './support/stack';

let stack: Stack;
let rpc: RpcClient;

before(async () => {
  stack = await Stack.start({ shardCount: 2 });
  rpc = await connectRpc(stack.amqpUrl);
});

after(async () => {
  await rpc?.close();
  await stack?.stop();
});

test('a poison write is answered with WRITE_FAILED and the shard keeps serving', async () => {
  const api = new EnvelopeApi(stack.baseUrl);
  await api.createGroup('poison');
  // A face without its vector: the handler faults on every delivery (the gateway never sends one). Values the
  // database refuses are not poison: they are answered at once (test/input-hygiene.e2e.ts).
  const personId = await api.createPerson('poison', 'healthy');
  const withoutVector = {
    ...addFaceRequest('default', 'poison', personId),
    embedding: null as unknown as Float32Array,
  };
  const poison = rpc.send('faces.add', withoutVector);
  await assert.rejects(poison, (error: unknown) => error instanceof VisageError && error.key === 'WRITE_FAILED');

  const healthy = await rpc.send('faces.add', addFaceRequest('default', 'poison', personId));
  assert.match(healthy.persistedFaceId, /^[0-9a-f-]{36}$/);
});
