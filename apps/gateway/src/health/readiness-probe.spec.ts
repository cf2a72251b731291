import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReadinessProbe, type StackReadiness } from './readiness-probe';

const up: StackReadiness = {
  ready: true,
  deployment: { mode: 'distributed', messaging: 'rabbitmq', database: 'external' },
  broker: 'up',
  detector: { backend: 'wasm-simd', workers: 2, models: [] },
  store: { database: 'up', shards: { total: 8, owned: [0] } },
};

/** A probe the test settles by hand, counting how often it was started. */
function manualProbe() {
  const pending: ((value: StackReadiness) => void)[] = [];
  const probe = () => new Promise<StackReadiness>((resolve) => pending.push(resolve));
  return { probe, started: () => pending.length, settleLast: (value = up) => pending.at(-1)!(value) };
}

test('callers during a probe share it: a flood of /ready starts one probe', async () => {
  const manual = manualProbe();
  const readiness = new ReadinessProbe(manual.probe, 2000, () => 0);
  const answers = Array.from({ length: 100 }, () => readiness.current());
  assert.equal(manual.started(), 1);
  manual.settleLast();
  for (const answer of await Promise.all(answers)) assert.equal(answer, up);
});

test('a settled result is reused for shareMs, then probed again', async () => {
  const manual = manualProbe();
  const clock = { ms: 10_000 };
  const readiness = new ReadinessProbe(manual.probe, 2000, () => clock.ms);
  const first = readiness.current();
  manual.settleLast({ ...up, ready: false });
  assert.equal((await first).ready, false);
  clock.ms += 1999;
  assert.equal((await readiness.current()).ready, false, 'still shared');
  assert.equal(manual.started(), 1);
  clock.ms += 1;
  const second = readiness.current();
  assert.equal(manual.started(), 2);
  manual.settleLast();
  assert.equal((await second).ready, true);
});

test('a slow probe stays shared until it settles, however long it takes', async () => {
  const manual = manualProbe();
  const clock = { ms: 0 };
  const readiness = new ReadinessProbe(manual.probe, 2000, () => clock.ms);
  const first = readiness.current();
  clock.ms += 60_000;
  const second = readiness.current();
  assert.equal(manual.started(), 1);
  manual.settleLast();
  assert.equal(await first, await second);
});
