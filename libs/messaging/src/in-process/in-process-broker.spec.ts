import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pattern, RequestOf } from '#contracts';
import type { Settlement } from '../consumer-transport';
import { deliveryLimit, Queues, shardQueueName } from '../topology';
import { InProcessBroker, type QueuedMessage } from './in-process-broker';

function message(pattern: string, priority = 0): QueuedMessage {
  return { pattern, content: Buffer.from(pattern), requestId: pattern, redelivered: false, faults: 0, priority };
}

const personWrite = (personId: string) => ({ personId }) as unknown as RequestOf<'persons.delete'>;

function publish(broker: InProcessBroker, pattern: Pattern, request: unknown, label: string, priority = 0): boolean {
  return broker.publish(pattern, request as RequestOf<typeof pattern>, message(label, priority));
}

const tick = () => new Promise((r) => setImmediate(r));

test("one person's writes are handled one at a time, in order; other persons' meanwhile on other lanes", async () => {
  const broker = new InProcessBroker({ shardCount: 8, detectorQueueMaxLength: 10 });
  const running = new Map<string, number>();
  const seen: string[] = [];
  let overlapOnOneLane = false;
  const releases: (() => void)[] = [];
  for (let shard = 0; shard < 8; shard++) {
    const queue = shardQueueName(shard);
    broker.consume(queue, 1, async (m) => {
      running.set(queue, (running.get(queue) ?? 0) + 1);
      if (running.get(queue)! > 1) overlapOnOneLane = true;
      seen.push(m.requestId);
      await new Promise<void>((resolve) => releases.push(resolve));
      running.set(queue, running.get(queue)! - 1);
      return 'ack';
    });
  }
  for (let i = 0; i < 5; i++) publish(broker, 'persons.delete', personWrite('ada'), `ada-${i}`);
  for (let i = 0; i < 40; i++) publish(broker, 'persons.delete', personWrite(`p${i}`), `p${i}`);
  await tick();
  const lanesBusy = [...running.values()].filter((n) => n > 0).length;
  assert.ok(lanesBusy > 1, 'several lanes work at once');
  while (releases.length > 0) {
    releases.shift()!();
    await tick();
    await tick();
  }
  assert.equal(overlapOnOneLane, false);
  const ada = seen.filter((id) => id.startsWith('ada-'));
  assert.deepEqual(ada, ['ada-0', 'ada-1', 'ada-2', 'ada-3', 'ada-4']);
  assert.equal(seen.length, 45);
});

test('the detector queue refuses past its bound and serves probes first', async () => {
  const broker = new InProcessBroker({ shardCount: 2, detectorQueueMaxLength: 3 });
  assert.equal(publish(broker, 'detector.extract', {}, 'image-1'), true);
  assert.equal(publish(broker, 'detector.extract', {}, 'image-2'), true);
  assert.equal(publish(broker, 'detector.status', {}, 'probe', 2), true);
  assert.equal(publish(broker, 'detector.extract', {}, 'image-3'), false, 'full: refused, not queued');
  const order: string[] = [];
  broker.consume(Queues.detector, 1, async (m) => {
    order.push(m.requestId);
    return 'ack';
  });
  for (let i = 0; i < 10; i++) await tick();
  assert.deepEqual(order, ['probe', 'image-1', 'image-2']);
});

test('a fault is retried first on its lane, and dead-lettered after the delivery limit', async () => {
  const broker = new InProcessBroker({ shardCount: 1, detectorQueueMaxLength: 1 });
  const deliveries: { id: string; faults: number; redelivered: boolean }[] = [];
  broker.consume(shardQueueName(0), 1, async (m): Promise<Settlement> => {
    deliveries.push({ id: m.requestId, faults: m.faults, redelivered: m.redelivered });
    return m.requestId === 'poison' ? 'requeue' : 'ack';
  });
  const deadLetters: QueuedMessage[] = [];
  broker.consume(Queues.deadLetter, 1, async (m) => {
    deadLetters.push(m);
    return 'ack';
  });
  publish(broker, 'persons.delete', personWrite('ada'), 'poison');
  publish(broker, 'persons.delete', personWrite('ada'), 'next');
  for (let i = 0; i < 50; i++) await tick();
  const poison = deliveries.filter((d) => d.id === 'poison');
  assert.equal(poison.length, deliveryLimit);
  assert.deepEqual(
    poison.map((d) => d.faults),
    Array.from({ length: deliveryLimit }, (_, i) => i),
  );
  assert.ok(poison.slice(1).every((d) => d.redelivered));
  assert.equal(deliveries.at(-1)!.id, 'next', 'the next write waited for the poison message to leave the lane');
  assert.deepEqual(
    deadLetters.map((m) => m.requestId),
    ['poison'],
  );
});
