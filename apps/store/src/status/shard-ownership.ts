import { shardQueueNames, type ConsumerTransport } from '#messaging';

/** On RabbitMQ 3.x the broker does not say which consumer is active; a shard that delivered here lately is. */
const ownershipWindowMs = 60_000;

export function recentlyServedShards(transport: ConsumerTransport, shardCount: number): string[] {
  const since = Date.now() - ownershipWindowMs;
  const active = new Set(
    transport
      .queueActivity()
      .filter((a) => a.lastDeliveryAt !== null && Date.parse(a.lastDeliveryAt) >= since)
      .map((a) => a.queue),
  );
  return shardQueueNames(shardCount).filter((queue) => active.has(queue));
}
