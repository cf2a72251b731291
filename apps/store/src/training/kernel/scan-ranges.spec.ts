import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kernelOver, scanClaimedRanges, scanRange, type ScanJob, type ScanLayout } from './similarity-kernel';

/** A memory of `persons` one-row persons and `count` queries, with arbitrary codes. */
function scanOver(persons: number, count: number, rowPerPerson: boolean) {
  const dim = 16;
  const layout: ScanLayout = {
    dim,
    persons,
    rowPerPerson,
    codes: 0,
    scales: persons * dim,
    starts: persons * dim + persons * 4,
    queries: persons * dim + persons * 8 + 16,
    best: persons * dim + persons * 8 + 16 + count * dim * 2,
  };
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true });
  const buffer = memory.buffer;
  new Int8Array(buffer, layout.codes, persons * dim).forEach((_, i, codes) => (codes[i] = ((i * 37) % 255) - 127));
  new Float32Array(buffer, layout.scales, persons).fill(0.5);
  new Int32Array(buffer, layout.starts, persons + 1).forEach((_, i, starts) => (starts[i] = i));
  new Int16Array(buffer, layout.queries, count * dim).forEach((_, i, queries) => (queries[i] = (i * 101) % 2000));
  const best = new Float32Array(buffer, layout.best, count * persons);
  return { kernel: kernelOver(memory), memory, layout, best };
}

for (const rowPerPerson of [false, true]) {
  test(`each range of a scan is scanned once by whichever thread claims it (rowPerPerson ${rowPerPerson})`, () => {
    const persons = 1_001;
    const count = 2;
    const { kernel, memory, layout, best } = scanOver(persons, count, rowPerPerson);
    scanRange(kernel, layout, count, 0, persons);
    const whole = Float32Array.from(best);
    best.fill(NaN);

    const ranges = 7;
    const jobOf = (id: number): ScanJob => ({
      id,
      memoryId: 1,
      memory,
      layout,
      count,
      ranges,
      claims: new Int32Array(new SharedArrayBuffer(8)),
    });
    // One thread alone claims every range and finishes the last.
    assert.equal(scanClaimedRanges(kernel, jobOf(1)), true);
    assert.deepEqual(best, whole);
    best.fill(NaN);

    const job = jobOf(2);
    // Another thread claimed the first range and is still on it: this one scans the rest, and is not the last.
    Atomics.store(job.claims, 0, 1);
    assert.equal(scanClaimedRanges(kernel, job), false);
    const firstRangeEnd = Math.floor(persons / ranges);
    assert.ok(Number.isNaN(best[firstRangeEnd - 1]) && !Number.isNaN(best[firstRangeEnd]));
    // The other thread finishes the first range last, so it is the one that answers.
    scanRange(kernel, layout, count, 0, firstRangeEnd);
    assert.equal(Atomics.add(job.claims, 1, 1), ranges - 1);
    assert.deepEqual(best, whole);
    // A thread that gets the job after it is done finds nothing to claim.
    assert.equal(scanClaimedRanges(kernel, job), false);
    assert.deepEqual(best, whole);
  });
}
