import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrainingSlots } from './training-slots';

test('at most `limit` hold a slot; the others get one in order as slots are given back', async () => {
  const slots = new TrainingSlots(2);
  const order: number[] = [];
  const releases: (() => void)[] = [];
  const holders = [1, 2, 3, 4].map((n) =>
    slots.acquire().then((release) => {
      order.push(n);
      releases.push(release);
    }),
  );
  await Promise.all(holders.slice(0, 2));
  assert.deepEqual(order, [1, 2]);
  assert.equal(slots.queued, 2);
  releases[0]!();
  releases[0]!(); // giving back twice frees one slot only
  await holders[2];
  assert.deepEqual(order, [1, 2, 3]);
  assert.equal(slots.queued, 1);
  releases[1]!();
  await holders[3];
  assert.deepEqual(order, [1, 2, 3, 4]);
});
