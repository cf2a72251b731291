/** The committed topology snapshot changes only together with the code that declares it. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { describeTopology, shardQueueNames } from '#messaging';
import { StoreConfig } from '../apps/store/src/store.config';
import { repoRoot } from './support/stack';

const defaultDetectorQueueMaxLength = new StoreConfig().DETECTOR_QUEUE_MAX_LENGTH;

test('the declared topology matches deploy/rabbitmq/topology.snapshot.json', () => {
  const snapshot = JSON.parse(
    readFileSync(path.join(repoRoot, 'deploy', 'rabbitmq', 'topology.snapshot.json'), 'utf8'),
  );
  assert.deepEqual(describeTopology(16, defaultDetectorQueueMaxLength), snapshot);
});

test('shard queues are bound in ascending name order with equal weights', () => {
  const bindings = describeTopology(16, defaultDetectorQueueMaxLength).bindings.filter(
    (b) => b.exchange === 'visage.shards',
  );
  assert.deepEqual(
    bindings.map((b) => b.queue),
    shardQueueNames(16),
  );
  assert.deepEqual([...shardQueueNames(16)].sort(), shardQueueNames(16));
  assert.ok(bindings.every((b) => b.routingKey === '1'));
});
