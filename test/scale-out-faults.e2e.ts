/**
 * Two gateways, two detectors and two stores on one broker and database: writes spread over 50 persons end with
 * exact counts while a store is SIGKILLed, a detector is SIGKILLed, or RabbitMQ itself restarts. Callers retry
 * retryable errors with the same Idempotency-Key, as the API documents; nothing may be lost or duplicated.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { EnvelopeApi, face, type ApiResponse } from './support/api';
import { freePort, Stack, waitFor } from './support/stack';

const detectTimeoutMs = 30_000;
let stack: Stack;
let gateways: EnvelopeApi[];
let secondPort: number;

before(async () => {
  stack = await Stack.start({
    shardCount: 8,
    env: { DETECT_TIMEOUT_MS: String(detectTimeoutMs), DETECTOR_WORKERS: '1' },
  });
  secondPort = await freePort();
  stack.spawn('gateway', { PORT: String(secondPort) });
  stack.spawn('detector');
  stack.spawn('store');
  gateways = [new EnvelopeApi(stack.baseUrl), new EnvelopeApi(`http://127.0.0.1:${secondPort}`)];
  await waitFor(
    async () => (await fetch(`http://127.0.0.1:${secondPort}/ready`).catch(() => undefined))?.ok === true,
    60_000,
    'second gateway',
  );
});

after(async () => stack?.stop());

const photos = ['colin_powell_01.jpg', 'hugo_chavez_01.jpg', 'nicole_kidman_01.jpg', 'hans_blix_01.jpg'];
const retryable = new Set(['SERVICE_UNAVAILABLE', 'TIMEOUT']);

/** Adds one face the way a careful client does: same key on every retry of a retryable error. */
async function addWithRetries(groupId: string, personId: string, key: string, photo: string, i: number) {
  let response: ApiResponse<{ id: string }> | undefined;
  for (let attempt = 0; attempt < 30; attempt++) {
    const api = gateways[(i + attempt) % gateways.length]!;
    try {
      response = await api.addFace(groupId, personId, face(photo), '', { 'idempotency-key': key });
    } catch {
      response = undefined; // connection refused or reset: retry
    }
    if (response && !retryable.has(response.body.error?.code ?? '')) return response;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`add ${key} never succeeded: ${JSON.stringify(response?.body)}`);
}

async function enrolUnderFault(groupId: string, persons: number, facesPerPerson: number, fault: () => Promise<void>) {
  await gateways[0]!.createGroup(groupId);
  const personIds = [];
  for (let p = 0; p < persons; p++) personIds.push(await gateways[p % 2]!.createPerson(groupId, `p${p}`));
  const jobs = personIds.flatMap((personId, p) =>
    Array.from({ length: facesPerPerson }, (_, f) => ({
      personId,
      key: `${groupId}-${p}-${f}`,
      photo: photos[(p + f) % photos.length]!,
    })),
  );
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const job = jobs[i]!;
      const response = await addWithRetries(groupId, job.personId, job.key, job.photo, i);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      done++;
    }
  };
  const load = Promise.all(Array.from({ length: 6 }, worker));
  await waitFor(() => done >= jobs.length / 4, 300_000, 'a quarter of the load');
  await fault();
  await load;

  const db = await stack.db();
  try {
    const counts = await db.query(
      `SELECT p.person_id, p.face_count, count(f.*)::int AS n FROM person p
       LEFT JOIN persisted_face f ON f.person_id = p.person_id WHERE p.group_id = $1 GROUP BY p.person_id`,
      [groupId],
    );
    assert.equal(counts.rows.length, persons);
    for (const row of counts.rows) assert.deepEqual([row.face_count, row.n], [facesPerPerson, facesPerPerson]);
  } finally {
    await db.end();
  }
}

test('adds over 50 persons finish with exact counts while a store process is SIGKILLed', async () => {
  await enrolUnderFault('store-kill', 50, 2, async () => {
    const [victim] = stack.running('store');
    await stack.kill(victim!);
  });
  stack.spawn('store');
});

test('a detector SIGKILLed mid-load leaves no request hanging past its deadline', async () => {
  const started = Date.now();
  await enrolUnderFault('detector-kill', 10, 2, async () => {
    const [victim] = stack.running('detector');
    await stack.kill(victim!);
  });
  stack.spawn('detector');
  assert.ok(Date.now() - started < 10 * detectTimeoutMs);
});

test('a RabbitMQ restart mid-load is recovered from without restarting any service', async () => {
  const pids = [...stack.running('gateway'), ...stack.running('detector'), ...stack.running('store')].map((c) => c.pid);
  await enrolUnderFault('broker-restart', 10, 2, async () => {
    execFileSync('rabbitmqctl', ['stop_app'], { stdio: 'ignore' });
    execFileSync('rabbitmqctl', ['start_app'], { stdio: 'ignore' });
  });
  const after = [...stack.running('gateway'), ...stack.running('detector'), ...stack.running('store')].map(
    (c) => c.pid,
  );
  assert.deepEqual(after.sort(), pids.sort(), 'every service process survived');
  await stack.waitReady(60_000);
});
