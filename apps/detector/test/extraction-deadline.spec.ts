/**
 * Extractions carry their caller's deadline: past it a queued job never runs and a running one gives its worker
 * thread back (terminated and replaced), so work nobody waits for does not hold a core. Real worker threads.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ExtractReply, type ExtractRequest, type ErrorKey, VisageError } from '#contracts';
import { type ExtractOptions, ExtractionPool } from '../src/extraction/extraction-pool';

const facesDir = path.resolve(__dirname, '../../../..', '../shared/testdata/faces');

let pool: ExtractionPool;

before(async () => {
  pool = await ExtractionPool.start({ workers: 1, backend: 'auto' });
});

after(async () => {
  await pool.close();
});

/** A four-face group photo keeps the worker busy for far longer than the short deadlines below. */
function request(file: string): ExtractRequest {
  return {
    image: readFileSync(path.join(facesDir, 'edge', file)),
    detectionModel: 'detection_01',
    recognitionModel: 'recognition_01',
    purpose: 'detect',
  };
}

async function outcome(req: ExtractRequest, options?: ExtractOptions): Promise<ExtractReply | ErrorKey> {
  try {
    return await pool.extract(req, options);
  } catch (error) {
    assert.ok(error instanceof VisageError, `not a catalogue error: ${String(error)}`);
    return error.key;
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 20_000; !condition();) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function onlyWorker() {
  const slots = [...pool['slots']];
  assert.equal(slots.length, 1);
  return slots[0];
}

test('a running extraction past its deadline fails with TIMEOUT, its worker is replaced, the next job runs', async () => {
  await pool.extract(request('single_face.jpg'));
  const worker = onlyWorker().worker;
  const late = outcome(request('multiple_faces_4.jpg'), { deadline: Date.now() + 30 });
  assert.ok(onlyWorker().busyWith, 'the worker took the job');
  assert.equal(await late, 'TIMEOUT');
  await until(() => worker.threadId === -1, 'the busy worker thread to stop');
  const next = await pool.extract(request('single_face.jpg'));
  assert.equal(next.faces.length, 1);
  assert.notEqual(onlyWorker().worker, worker);
});

test('a queued extraction past its deadline never runs; the running one is unaffected', async () => {
  const worker = onlyWorker().worker;
  const running = pool.extract(request('multiple_faces_4.jpg'));
  const queued = outcome(request('single_face.jpg'), { deadline: Date.now() + 30 });
  assert.equal(pool['queue'].length, 1);
  assert.equal(await queued, 'TIMEOUT');
  assert.equal(pool['queue'].length, 0);
  assert.equal((await running).faces.length, 4);
  assert.equal(onlyWorker().worker, worker, 'the worker was kept');
});

test('an extraction whose deadline has already passed is refused without queueing', async () => {
  assert.equal(await outcome(request('single_face.jpg'), { deadline: Date.now() - 1 }), 'TIMEOUT');
  assert.equal(pool['queue'].length, 0);
  assert.equal(onlyWorker().busyWith, undefined);
});
