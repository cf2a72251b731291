/**
 * The queues of the RabbitMQ topology, kept in memory for Visage running as one process: the same queue names,
 * person-level writes hashed by their shard key onto the shard queues (each handled one message at a time, so one
 * person's writes apply in order while shards run in parallel), a bounded detector queue with priorities, faults
 * requeued at the head of their queue until the delivery limit sends them to the dead-letter queue.
 */
import { createHash } from 'node:crypto';
import { PatternDestinations, shardKeyOf, type Pattern, type RequestOf } from '#contracts';
import type { Delivery, Settlement } from '../consumer-transport';
import { deliveryLimit, Queues, shardQueueName } from '../topology';

export interface InProcessBrokerOptions {
  shardCount: number;
  /** Images that may wait for a detector worker; past it a publish is refused (DETECTOR_BUSY). */
  detectorQueueMaxLength: number;
}

export interface QueuedMessage extends Delivery {
  priority: number;
}

type Consumer = (message: QueuedMessage) => Promise<Settlement>;

class LocalQueue {
  private readonly waiting: QueuedMessage[] = [];
  private consumer: { handle: Consumer; prefetch: number } | undefined;
  private active = 0;

  constructor(
    readonly name: string,
    private readonly maxLength = Infinity,
    private readonly onDeadLetter?: (message: QueuedMessage) => void,
  ) {}

  get depth(): number {
    return this.waiting.length;
  }

  /** False when the queue is at its length bound (RabbitMQ's reject-publish overflow). */
  offer(message: QueuedMessage): boolean {
    if (this.waiting.length >= this.maxLength) return false;
    // Higher priority first, arrival order within a priority.
    let at = this.waiting.length;
    while (at > 0 && this.waiting[at - 1]!.priority < message.priority) at--;
    this.waiting.splice(at, 0, message);
    this.pump();
    return true;
  }

  attach(handle: Consumer, prefetch: number): () => void {
    if (this.consumer) throw new Error(`Queue ${this.name} already has a consumer`);
    this.consumer = { handle, prefetch };
    this.pump();
    return () => (this.consumer = undefined);
  }

  private pump(): void {
    while (this.consumer && this.active < this.consumer.prefetch && this.waiting.length > 0) {
      const message = this.waiting.shift()!;
      const { handle } = this.consumer;
      this.active++;
      void handle(message)
        .catch((): Settlement => 'requeue')
        .then((settlement) => {
          this.active--;
          if (settlement === 'requeue') this.requeue(message);
          this.pump();
        });
    }
  }

  /** At the head, so a shard's next write still waits for this one. */
  private requeue(message: QueuedMessage): void {
    const again = { ...message, redelivered: true, faults: message.faults + 1 };
    if (again.faults >= deliveryLimit && this.onDeadLetter) this.onDeadLetter(again);
    else this.waiting.unshift(again);
  }
}

export class InProcessBroker {
  private readonly queues = new Map<string, LocalQueue>();

  constructor(private readonly options: InProcessBrokerOptions) {
    const deadLetter = new LocalQueue(Queues.deadLetter);
    const toDeadLetter = (message: QueuedMessage) => deadLetter.offer(message);
    this.add(deadLetter);
    this.add(new LocalQueue(Queues.detector, options.detectorQueueMaxLength));
    this.add(new LocalQueue(Queues.storeReads));
    this.add(new LocalQueue(Queues.store, Infinity, toDeadLetter));
    for (let index = 0; index < options.shardCount; index++) {
      this.add(new LocalQueue(shardQueueName(index), Infinity, toDeadLetter));
    }
  }

  /** Queues a request where RabbitMQ would route it; false when its queue refused it (full). */
  publish<P extends Pattern>(pattern: P, request: RequestOf<P>, message: QueuedMessage): boolean {
    return this.queue(this.queueFor(pattern, request)).offer(message);
  }

  consume(queue: string, prefetch: number, handle: Consumer): () => void {
    return this.queue(queue).attach(handle, prefetch);
  }

  depths(): Record<string, number> {
    return Object.fromEntries([...this.queues.values()].map((q) => [q.name, q.depth]));
  }

  private queueFor<P extends Pattern>(pattern: P, request: RequestOf<P>): string {
    switch (PatternDestinations[pattern]) {
      case 'detector':
        return Queues.detector;
      case 'reads':
        return Queues.storeReads;
      case 'store':
        return Queues.store;
      case 'shard':
        return shardQueueName(shardIndex(shardKeyOf(pattern, request), this.options.shardCount));
    }
  }

  private add(queue: LocalQueue): void {
    this.queues.set(queue.name, queue);
  }

  private queue(name: string): LocalQueue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`No queue ${name}`);
    return queue;
  }
}

function shardIndex(key: string, shardCount: number): number {
  return createHash('sha1').update(key).digest().readUInt32BE(0) % shardCount;
}
