/**
 * The RabbitMQ topology, declared identically by every service. Person-level writes go through a
 * consistent-hash exchange keyed by personId into a fixed number of shard queues; each shard is a quorum queue
 * with a single active consumer, so one person's writes are applied one at a time while shards run in parallel.
 * The store's other writes share one quorum queue; its reads have a classic queue of their own.
 * The detector queue's length bound is a policy, which the store sets, not a queue argument: a policy can change
 * on a running broker, while a queue redeclared with other arguments is refused (PRECONDITION_FAILED).
 */
import type { Channel } from 'amqplib';
import { managementRequest } from './management-api';

export const Exchanges = {
  shards: 'visage.shards',
  deadLetter: 'visage.dead-letter',
} as const;

export const Queues = {
  detector: 'visage.detector',
  store: 'visage.store',
  storeReads: 'visage.store.reads',
  deadLetter: 'visage.dead-letter',
} as const;

/** Deliveries of one message before it is dead-lettered (quorum queues have no default limit on 3.x). */
export const deliveryLimit = 5;

export function shardQueueName(index: number): string {
  return `visage.shard.${String(index).padStart(2, '0')}`;
}

export function shardQueueNames(shardCount: number): string[] {
  return Array.from({ length: shardCount }, (_, i) => shardQueueName(i));
}

/** Every binding weighs the same, so the ring depends only on the (sorted) bind order. */
const shardBindingWeight = '1';

const quorumWithDeadLetter = {
  'x-queue-type': 'quorum',
  'x-delivery-limit': deliveryLimit,
  'x-dead-letter-exchange': Exchanges.deadLetter,
};

export interface TopologyPolicy {
  name: string;
  pattern: string;
  'apply-to': 'queues';
  priority: number;
  definition: Record<string, unknown>;
}

export interface TopologyDescription {
  exchanges: { name: string; type: string; durable: boolean }[];
  queues: { name: string; arguments: Record<string, unknown> }[];
  bindings: { exchange: string; queue: string; routingKey: string }[];
  policies: TopologyPolicy[];
}

/**
 * Past `maxLength` waiting images the broker refuses the publish (a nack the caller turns into DETECTOR_BUSY at
 * once) rather than queueing work that would only expire. RabbitMQ applies one policy per queue, the one of
 * highest priority: this one outranks the usual catch-all policies of priority 0.
 */
function detectorQueuePolicy(maxLength: number): TopologyPolicy {
  return {
    name: 'visage.detector.bound',
    pattern: `^${Queues.detector.replace(/\./g, '\\.')}$`,
    'apply-to': 'queues',
    priority: 10,
    definition: { 'max-length': maxLength, overflow: 'reject-publish' },
  };
}

/** The topology as data: declared by `declareTopology` and `applyTopologyPolicies`, snapshotted in a committed file. */
export function describeTopology(shardCount: number, detectorQueueMaxLength: number): TopologyDescription {
  return { ...describeDeclarations(shardCount), policies: describePolicies(detectorQueueMaxLength) };
}

function describePolicies(detectorQueueMaxLength: number): TopologyPolicy[] {
  return [detectorQueuePolicy(detectorQueueMaxLength)];
}

function describeDeclarations(shardCount: number): Omit<TopologyDescription, 'policies'> {
  const shards = shardQueueNames(shardCount);
  return {
    exchanges: [
      { name: Exchanges.shards, type: 'x-consistent-hash', durable: true },
      { name: Exchanges.deadLetter, type: 'fanout', durable: true },
    ],
    queues: [
      // Priorities let health probes overtake a backlog of images.
      { name: Queues.detector, arguments: { 'x-queue-type': 'classic', 'x-max-priority': 2 } },
      { name: Queues.store, arguments: quorumWithDeadLetter },
      // Reads are not persisted (a read lost with the broker is answered "unavailable" and can be sent again), so
      // they skip the quorum log that every write waits for.
      { name: Queues.storeReads, arguments: { 'x-queue-type': 'classic' } },
      { name: Queues.deadLetter, arguments: { 'x-queue-type': 'quorum' } },
      ...shards.map((name) => ({
        name,
        arguments: { ...quorumWithDeadLetter, 'x-single-active-consumer': true },
      })),
    ],
    bindings: [
      { exchange: Exchanges.deadLetter, queue: Queues.deadLetter, routingKey: '' },
      ...shards.map((queue) => ({ exchange: Exchanges.shards, queue, routingKey: shardBindingWeight })),
    ],
  };
}

export async function declareTopology(channel: Channel, shardCount: number): Promise<void> {
  const topology = describeDeclarations(shardCount);
  for (const exchange of topology.exchanges) {
    await channel.assertExchange(exchange.name, exchange.type, { durable: exchange.durable });
  }
  for (const queue of topology.queues) {
    await channel.assertQueue(queue.name, { durable: true, arguments: queue.arguments });
  }
  // In list order: shard bindings are listed in ascending queue name, which fixes the person → shard ring.
  for (const binding of topology.bindings) {
    await channel.bindQueue(binding.queue, binding.exchange, binding.routingKey);
  }
}

/** Sets the policies through the management API (AMQP cannot); setting an unchanged policy changes nothing. */
export async function applyTopologyPolicies(
  managementUrl: string,
  vhost: string,
  detectorQueueMaxLength: number,
): Promise<void> {
  for (const { name, ...policy } of describePolicies(detectorQueueMaxLength)) {
    const path = `api/policies/${encodeURIComponent(vhost)}/${encodeURIComponent(name)}`;
    await managementRequest(managementUrl, path, `set the policy ${name} (the user needs the policymaker tag)`, {
      method: 'PUT',
      body: policy,
    });
  }
}
