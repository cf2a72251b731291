/**
 * Checks, through the RabbitMQ management API, that the shard exchange is bound to exactly the expected shard
 * queues with equal weights. A drifted ring would silently move persons between shards, so services refuse to
 * run on one.
 */
import { Exchanges, shardQueueNames } from './topology';

interface ManagementBinding {
  destination: string;
  destination_type: string;
  routing_key: string;
}

export async function verifyShardBindings(managementUrl: string, vhost: string, shardCount: number): Promise<void> {
  const url = new URL(managementUrl);
  const auth = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString(
    'base64',
  );
  url.username = '';
  url.password = '';
  const path = `api/exchanges/${encodeURIComponent(vhost)}/${encodeURIComponent(Exchanges.shards)}/bindings/source`;
  const endpoint = new URL(path, url.href.endsWith('/') ? url.href : `${url.href}/`);
  let response: Response;
  try {
    response = await fetch(endpoint, {
      headers: { authorization: `Basic ${auth}` },
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    throw new Error(
      `Cannot reach the RabbitMQ management API at ${url.origin} to check the shard bindings ` +
        `(${(error as Error).message}); enable the rabbitmq_management plugin or set RABBITMQ_MANAGEMENT_URL.`,
    );
  }
  if (!response.ok) {
    throw new Error(`RabbitMQ management API answered ${response.status} for the shard bindings of ${url.origin}.`);
  }
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
