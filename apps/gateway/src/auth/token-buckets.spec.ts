import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBuckets } from './token-buckets';

function fakeClock() {
  const clock = { ms: 1_000_000, now: () => clock.ms };
  return clock;
}

test('a full bucket allows a burst, then refuses until tokens refill', () => {
  const clock = fakeClock();
  const buckets = new TokenBuckets({ ratePerSecond: 2, burst: 3, maxBuckets: 10 }, clock.now);
  for (let i = 0; i < 3; i++) assert.deepEqual(buckets.take('a'), { allowed: true });
  assert.deepEqual(buckets.take('a'), { allowed: false, retryAfterSeconds: 1 });
  clock.ms += 499;
  assert.equal(buckets.take('a').allowed, false);
  clock.ms += 1;
  assert.deepEqual(buckets.take('a'), { allowed: true });
  assert.equal(buckets.take('a').allowed, false);
});

test('refill never exceeds the burst', () => {
  const clock = fakeClock();
  const buckets = new TokenBuckets({ ratePerSecond: 10, burst: 2, maxBuckets: 10 }, clock.now);
  buckets.take('a');
  clock.ms += 60_000;
  assert.equal(buckets.take('a').allowed, true);
  assert.equal(buckets.take('a').allowed, true);
  assert.equal(buckets.take('a').allowed, false);
});

test('Retry-After is the whole seconds until the next token', () => {
  const clock = fakeClock();
  const buckets = new TokenBuckets({ ratePerSecond: 0.25, burst: 1, maxBuckets: 10 }, clock.now);
  assert.equal(buckets.take('a').allowed, true);
  assert.deepEqual(buckets.take('a'), { allowed: false, retryAfterSeconds: 4 });
  clock.ms += 2500;
  assert.deepEqual(buckets.take('a'), { allowed: false, retryAfterSeconds: 2 });
});

test('callers have separate buckets', () => {
  const clock = fakeClock();
  const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 1, maxBuckets: 10 }, clock.now);
  assert.equal(buckets.take('a').allowed, true);
  assert.equal(buckets.take('a').allowed, false);
  assert.equal(buckets.take('b').allowed, true);
});

test('the map keeps at most maxBuckets, dropping the least recently used', () => {
  const clock = fakeClock();
  const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 1, maxBuckets: 2 }, clock.now);
  buckets.take('a');
  buckets.take('b');
  buckets.take('a');
  buckets.take('c');
  assert.equal(buckets.size, 2);
  assert.equal(buckets.take('a').allowed, false, 'a was used recently and kept');
  assert.equal(buckets.take('b').allowed, true, 'b was dropped, so it starts full');
  assert.equal(buckets.size, 2);
});
