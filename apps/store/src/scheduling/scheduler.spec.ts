import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Logger, type LoggerService } from '@nestjs/common';
import { Metrics } from '#observability';
import { Scheduler } from './scheduler';

async function rounds(job: string, outcome: 'ok' | 'failed'): Promise<number> {
  const { values } = await Metrics.periodicJobRuns.get();
  return values.find((v) => v.labels.job === job && v.labels.outcome === outcome)?.value ?? 0;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('a failing round is logged with the job and its instance, counted, and the next round runs again', async () => {
  const errors: string[] = [];
  const capture: LoggerService = { log() {}, warn() {}, debug() {}, error: (message: string) => errors.push(message) };
  Logger.overrideLogger(capture);
  const scheduler = new Scheduler();
  let calls = 0;
  const job = scheduler.every({
    name: 'spec-failing',
    about: 'group g1',
    everyMs: 60_000,
    run: async () => {
      if (++calls === 1) throw new Error('database gone');
    },
  });
  try {
    await job.runNow();
    await job.runNow();
  } finally {
    Logger.overrideLogger(false);
    await scheduler.onApplicationShutdown();
  }
  assert.deepEqual(errors, ['Periodic job spec-failing (group g1) failed: database gone']);
  assert.equal(await rounds('spec-failing', 'failed'), 1);
  assert.equal(await rounds('spec-failing', 'ok'), 1);
});

test('a round still running is not started twice', async () => {
  const scheduler = new Scheduler();
  const gate = deferred();
  let calls = 0;
  const job = scheduler.every({
    name: 'spec-slow',
    everyMs: 60_000,
    run: () => {
      calls++;
      return gate.promise;
    },
  });
  const first = job.runNow();
  const second = job.runNow();
  gate.resolve();
  await Promise.all([first, second]);
  assert.equal(calls, 1);
  await job.runNow();
  assert.equal(calls, 2);
  await scheduler.onApplicationShutdown();
});

test('rounds come every `everyMs`, the first at once with runAtStart, and none after stop', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const settled = () => new Promise<void>((resolve) => setImmediate(resolve));
  const scheduler = new Scheduler();
  let calls = 0;
  const job = scheduler.every({ name: 'spec-timed', everyMs: 1_000, runAtStart: true, run: async () => calls++ });
  assert.equal(calls, 1);
  await settled();
  t.mock.timers.tick(999);
  assert.equal(calls, 1);
  t.mock.timers.tick(1);
  assert.equal(calls, 2);
  await settled();
  t.mock.timers.tick(1_000);
  assert.equal(calls, 3);
  job.stop();
  t.mock.timers.tick(5_000);
  assert.equal(calls, 3);
  await scheduler.onApplicationShutdown();
});

test('shutting down stops every job and waits for the rounds still running', async () => {
  const scheduler = new Scheduler();
  const gate = deferred();
  let ended = false;
  const job = scheduler.every({
    name: 'spec-shutdown',
    everyMs: 60_000,
    run: async () => {
      await gate.promise;
      ended = true;
    },
  });
  void job.runNow();
  const shutdown = scheduler.onApplicationShutdown().then(() => assert.ok(ended, 'shutdown waited for the round'));
  gate.resolve();
  await shutdown;
});
