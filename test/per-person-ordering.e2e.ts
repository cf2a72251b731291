/**
 * One person's writes never overlap in time, different persons' do: checked on the intervals the store reports
 * for each write it handled, with writes sent straight to the shard exchange (synthetic vectors, no detector).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { HandledBy, RpcClient } from '#messaging';
import { EnvelopeApi } from './support/api';
import { addFaceRequest, connectRpc } from './support/rpc';
import { Stack } from './support/stack';

let stack: Stack;
let rpc: RpcClient;

before(async () => {
  stack = await Stack.start({ shardCount: 8 });
  rpc = await connectRpc(stack.amqpUrl);
});

after(async () => {
  await rpc?.close();
  await stack?.stop();
});

test('writes of one person are sequential; writes of different persons run in parallel', async () => {
  const api = new EnvelopeApi(stack.baseUrl);
  await api.createGroup('order');
  const persons = await Promise.all(Array.from({ length: 12 }, (_, i) => api.createPerson('order', `p${i}`)));
  const writesPerPerson = 15;
  const results = await Promise.all(
    persons.flatMap((personId) =>
      Array.from({ length: writesPerPerson }, async () => {
        const replied = await rpc.sendTraced('faces.add', addFaceRequest('default', 'order', personId));
        return { personId, handled: replied.handled as HandledBy };
      }),
    ),
  );
  const byPerson = new Map<string, HandledBy[]>();
  for (const { personId, handled } of results) byPerson.set(personId, [...(byPerson.get(personId) ?? []), handled]);

  for (const [personId, intervals] of byPerson) {
    assert.equal(new Set(intervals.map((i) => i.queue)).size, 1, `person ${personId} used one shard`);
    intervals.sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < intervals.length; i++) {
      assert.ok(
        intervals[i]!.startedAt >= intervals[i - 1]!.finishedAt,
        `person ${personId}: write ${i} started before write ${i - 1} finished`,
      );
    }
  }

  let crossPersonOverlaps = 0;
  const all = results.sort((a, b) => a.handled.startedAt - b.handled.startedAt);
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length && all[j]!.handled.startedAt < all[i]!.handled.finishedAt; j++) {
      if (all[j]!.personId !== all[i]!.personId) crossPersonOverlaps++;
    }
  }
  assert.ok(crossPersonOverlaps > 0, 'writes of different persons overlapped in time');
  assert.ok(new Set(results.map((r) => r.handled.queue)).size > 1, 'persons spread over several shards');

  const listed = await api.call<{ persisted_face_ids: string[] }[]>('GET', '/largepersongroups/order/persons');
  for (const person of listed.body.data!) assert.equal(person.persisted_face_ids.length, writesPerPerson);
});
