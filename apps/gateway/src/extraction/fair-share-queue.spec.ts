import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairShareQueue } from './fair-share-queue';

class Refused extends Error {
  constructor(
    readonly waiting: number,
    readonly retryAfterSeconds: number,
  ) {
    super('refused');
  }
}

/** Tasks that finish when the test says so, recording the order in which they started. */
function manualTasks() {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const task = (name: string) => () =>
    new Promise<string>((resolve) => {
      started.push(name);
      finishers.set(name, () => resolve(name));
    });
  const finish = async (name: string) => {
    finishers.get(name)!();
    // Let the finished task hand its place on (promise callbacks) before the test looks again.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { started, task, finish };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function lines(concurrency: number, maxWaitingPerLine = 0) {
  return new FairShareQueue({
    concurrency,
    maxWaitingPerLine,
    refusal: (waiting, retryAfterSeconds) => new Refused(waiting, retryAfterSeconds),
  });
}

test('never more tasks at once than the concurrency', async () => {
  const { started, task, finish } = manualTasks();
  const scheduler = lines(2);
  const results = ['a1', 'a2', 'a3'].map((name) => scheduler.run('a', task(name), 60_000));
  await settle();
  assert.deepEqual(started, ['a1', 'a2']);
  await finish('a1');
  assert.deepEqual(started, ['a1', 'a2', 'a3']);
  await finish('a2');
  await finish('a3');
  assert.deepEqual(await Promise.all(results), ['a1', 'a2', 'a3']);
});

test('a line that was idle goes next, however long the busy line; busy lines take turns', async () => {
  const { started, task, finish } = manualTasks();
  const scheduler = lines(1);
  const flood = ['a1', 'a2', 'a3', 'a4', 'a5'].map((name) => scheduler.run('a', task(name), 60_000));
  await settle();
  const b1 = scheduler.run('b', task('b1'), 60_000);
  const c1 = scheduler.run('c', task('c1'), 60_000);
  const b2 = scheduler.run('b', task('b2'), 60_000);
  for (const name of ['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']) await finish(name);
  assert.deepEqual(started, ['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4', 'a5']);
  await finish('a5');
  await Promise.all([...flood, b1, c1, b2]);
});

test('a line that comes back as soon as it is served takes turns with a busy line, never ahead of it', async () => {
  const { started, task, finish } = manualTasks();
  const scheduler = lines(1);
  const a = ['a1', 'a2', 'a3'].map((name) => scheduler.run('a', task(name), 60_000));
  await settle();
  const b = [scheduler.run('b', task('b1'), 60_000)];
  await finish('a1');
  await finish('b1');
  b.push(scheduler.run('b', task('b2'), 60_000));
  await finish('a2');
  await finish('b2');
  b.push(scheduler.run('b', task('b3'), 60_000));
  await finish('a3');
  await finish('b3');
  assert.deepEqual(started, ['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
  await Promise.all([...a, ...b]);
});

test('past its bound a line is refused at once; other lines are not', async () => {
  const { task, finish } = manualTasks();
  const scheduler = lines(1, 2);
  const accepted = ['a1', 'a2', 'a3'].map((name) => scheduler.run('a', task(name), 60_000));
  await settle();
  await assert.rejects(scheduler.run('a', task('a4'), 60_000), (error: Refused) => {
    assert.equal(error.waiting, 2);
    assert.ok(error.retryAfterSeconds >= 1);
    return true;
  });
  const b1 = scheduler.run('b', task('b1'), 60_000);
  for (const name of ['a1', 'b1', 'a2', 'a3']) await finish(name);
  await Promise.all([...accepted, b1]);
});

test('a failing task frees its place and fails only its own caller', async () => {
  const scheduler = lines(1);
  const failing = scheduler.run('a', () => Promise.reject(new Error('detector down')), 60_000);
  const next = scheduler.run('a', () => Promise.resolve('next'), 60_000);
  await assert.rejects(failing, /detector down/);
  assert.equal(await next, 'next');
});

test('a task that waited past its limit is dropped with TIMEOUT; a started one gets the time left', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
  const { started, task, finish } = manualTasks();
  const scheduler = lines(1);
  const first = scheduler.run('a', task('a1'), 10_000);
  const late = scheduler.run('b', task('b1'), 1_000);
  let remaining = 0;
  const third = scheduler.run('c', (remainingMs) => ((remaining = remainingMs), Promise.resolve('c1')), 5_000);
  await settle();
  t.mock.timers.tick(1_000);
  await assert.rejects(late, (error: { key?: string }) => error.key === 'TIMEOUT');
  t.mock.timers.tick(1_000);
  await finish('a1');
  assert.equal(await third, 'c1');
  assert.equal(remaining, 3_000);
  assert.deepEqual(started, ['a1']);
  await first;
});
