import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CollectionKind } from '#contracts';
import { metricsRegistry } from '#observability';
import { SnapshotCache } from './snapshot-cache';

const snapshotOf = (bytes: number) => ({ bytes });
const ref = (groupId: string, snapshotId = 's1', kind: CollectionKind = 'largePersonGroup') => ({
  tenantId: 't',
  kind,
  groupId,
  snapshotId,
});
const load = (bytes: number) => () => Promise.resolve(snapshotOf(bytes));
const heldGroups = (cache: SnapshotCache) => cache.held().map((held) => held.groupId);

async function evictions(reason: string): Promise<number> {
  const metric = await metricsRegistry.getSingleMetric('visage_snapshot_cache_evictions_total')!.get();
  return metric.values.find((value) => value.labels.reason === reason)?.value ?? 0;
}

test('stays within its byte bound by dropping the least recently used snapshots', async () => {
  const cache = new SnapshotCache(100);
  await cache.get(ref('a'), load(40));
  await cache.get(ref('b'), load(40));
  await cache.get(ref('a'), load(40)); // a is now the most recent
  const before = await evictions('size');
  await cache.get(ref('c'), load(40));
  assert.deepEqual(heldGroups(cache), ['a', 'c']);
  assert.equal(cache.bytes, 80);
  assert.equal((await evictions('size')) - before, 1);
  const metric = await metricsRegistry.getSingleMetric('visage_snapshot_cache_bytes')!.get();
  assert.equal(metric.values[0]!.value, 80);
});

test('a dropped snapshot is released (its scan threads let go of its memory); a kept one is not', async () => {
  const cache = new SnapshotCache(100);
  const released: string[] = [];
  const releasing = (name: string, bytes: number) => () =>
    Promise.resolve({ bytes, release: () => released.push(name) });
  await cache.get(ref('a'), releasing('a', 60));
  await cache.get(ref('b'), releasing('b', 60));
  await cache.get(ref('c', 's1'), releasing('c1', 10));
  await cache.get(ref('c', 's2'), releasing('c2', 10));
  cache.evictGroup({ tenantId: 't', kind: 'largePersonGroup', groupId: 'c' });
  assert.deepEqual(released, ['a', 'c1', 'c2']);
  assert.deepEqual(heldGroups(cache), ['b']);
});

test('keeps a snapshot larger than the bound alone rather than reloading it on every call', async () => {
  const cache = new SnapshotCache(100);
  await cache.get(ref('a'), load(40));
  await cache.get(ref('big'), load(150));
  assert.deepEqual(heldGroups(cache), ['big']);
  let loads = 0;
  await cache.get(ref('big'), () => Promise.resolve(snapshotOf(++loads)));
  assert.equal(loads, 0);
});

test("a group's snapshot is told apart by its snapshot id, not by the group: a new id loads and replaces", async () => {
  const cache = new SnapshotCache(1000);
  const first = await cache.get(ref('g', 'old'), load(10));
  const second = await cache.get(ref('g', 'new'), load(20));
  assert.notEqual(first, second);
  assert.equal(await cache.get(ref('g', 'new'), load(99)), second);
  assert.equal(cache.bytes, 20);
  assert.deepEqual(cache.held(), [ref('g', 'new')]);
});

test("a deleted group's snapshot is dropped", async () => {
  const cache = new SnapshotCache(1000);
  await cache.get(ref('a'), load(10));
  await cache.get(ref('b'), load(20));
  const before = await evictions('deleted');
  cache.evictGroup({ tenantId: 't', kind: 'largePersonGroup', groupId: 'a' });
  cache.evictGroup({ tenantId: 'other', kind: 'largePersonGroup', groupId: 'b' });
  assert.deepEqual(heldGroups(cache), ['b']);
  assert.equal(cache.bytes, 20);
  assert.equal((await evictions('deleted')) - before, 1);
});

test('concurrent gets of one snapshot load it once; a failed load is not kept and can be retried', async () => {
  const cache = new SnapshotCache(1000);
  let loads = 0;
  let finish!: () => void;
  const slowLoad = () =>
    new Promise<{ bytes: number }>((resolve) => {
      loads++;
      finish = () => resolve(snapshotOf(10));
    });
  const gets = [cache.get(ref('a'), slowLoad), cache.get(ref('a'), slowLoad), cache.get(ref('a'), slowLoad)];
  finish();
  const [first, ...rest] = await Promise.all(gets);
  assert.equal(loads, 1);
  for (const other of rest) assert.equal(other, first);

  await assert.rejects(
    cache.get(ref('b'), () => Promise.reject(new Error('database down'))),
    /database down/,
  );
  assert.deepEqual(heldGroups(cache), ['a']);
  await cache.get(ref('b'), load(5));
  assert.deepEqual(heldGroups(cache), ['a', 'b']);
});

test('a slow load of an older snapshot does not replace the newer one kept meanwhile', async () => {
  const cache = new SnapshotCache(1000);
  let finishOld!: () => void;
  const oldLoad = cache.get(
    ref('g', 'old'),
    () => new Promise((resolve) => (finishOld = () => resolve(snapshotOf(10)))),
  );
  await cache.get(ref('g', 'new'), load(20));
  finishOld();
  await oldLoad;
  assert.deepEqual(cache.held(), [ref('g', 'new')]);
  assert.equal(cache.bytes, 20);
});

test('a person group and a large person group with the same id keep their own snapshots', async () => {
  const cache = new SnapshotCache(1000);
  const large = await cache.get(ref('same', 's1'), load(10));
  const small = await cache.get(ref('same', 's2', 'personGroup'), load(20));
  assert.notEqual(large, small);
  assert.equal(cache.held().length, 2);
  cache.evictGroup({ tenantId: 't', kind: 'personGroup', groupId: 'same' });
  assert.deepEqual(cache.held(), [ref('same', 's1')]);
});
