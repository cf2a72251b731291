/**
 * Checks, through the RabbitMQ management API, that the shard exchange is bound to exactly the expected shard
 * queues with equal weights. A drifted ring would silently move persons between shards, so services refuse to
 * run on one.
 */
import { managementRequest } from './management-api';
import { Exchanges, shardQueueNames } from './topology';

interface ManagementBinding {
  destination: string;
  destination_type: string;
  routing_key: string;
}

export async function verifyShardBindings(managementUrl: string, vhost: string, shardCount: number): Promise<void> {
  const path = `api/exchanges/${encodeURIComponent(vhost)}/${encodeURIComponent(Exchanges.shards)}/bindings/source`;
  const response = await managementRequest(managementUrl, path, 'check the shard bindings');
  const bindings = (await response.json()) as ManagementBinding[];
  const found = bindings
    .filter((b) => b.destination_type === 'queue')
    .map((b) => `${b.destination}@${b.routing_key}`)
    .sort();
  const expected = shardQueueNames(shardCount).map((name) => `${name}@1`);
  if (found.length !== expected.length || found.some((value, i) => value !== expected[i])) {
    throw new Error(
      `Shard bindings of ${Exchanges.shards} drifted: expected ${expected.length} shards ` +
        `[${expected.join(', ')}], found [${found.join(', ')}]. Drain the shard queues and redeclare them, ` +
        `or set SHARD_COUNT to the count the exchange was created with.`,
    );
  }
}
