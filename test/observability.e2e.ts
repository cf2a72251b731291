/** Health, readiness and metrics of every service, and one request id followed through all three logs. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EnvelopeApi, face } from './support/api';
import { freePort, Stack, waitFor } from './support/stack';

let stack: Stack;
let api: EnvelopeApi;
let gatewayOps: string;
let detectorOps: string;
let storeOps: string;

before(async () => {
  const [gatewayPort, detectorPort, storePort] = [await freePort(), await freePort(), await freePort()];
  gatewayOps = `http://127.0.0.1:${gatewayPort}`;
  detectorOps = `http://127.0.0.1:${detectorPort}`;
  storeOps = `http://127.0.0.1:${storePort}`;
  stack = await Stack.start({
    env: {
      LOG_LEVEL: 'info',
      GATEWAY_OPS_PORT: String(gatewayPort),
      DETECTOR_OPS_PORT: String(detectorPort),
      STORE_OPS_PORT: String(storePort),
    },
  });
  api = new EnvelopeApi(stack.baseUrl);
  for (const base of [detectorOps, storeOps]) {
    await waitFor(
      async () => (await fetch(`${base}/ready`).catch(() => undefined))?.ok === true,
      30_000,
      `${base}/ready`,
    );
  }
});

after(async () => stack?.stop());

async function json(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test('every service answers /health and /ready, naming its backend and shards', async () => {
  for (const base of [stack.baseUrl, gatewayOps, detectorOps, storeOps]) {
    assert.deepEqual(await json(`${base}/health`), { status: 200, body: { status: 'ok' } });
  }
  const detector = await json(`${detectorOps}/ready`);
  assert.equal(detector.status, 200);
  assert.match(String(detector.body.backend), /^(tensorflow|wasm-simd|wasm|cpu)$/);
  assert.equal(detector.body.workers, 2);
  const store = await json(`${storeOps}/ready`);
  assert.equal(store.status, 200);
  assert.equal(store.body.database, 'up');
  const gateway = await json(`${gatewayOps}/ready`);
  assert.equal((gateway.body.detector as { backend: string }).backend, detector.body.backend);
});

test('metrics count requests, messages, extractions and stored faces', async () => {
  await api.createGroup('metrics');
  const personId = await api.createPerson('metrics', 'p');
  const added = await api.addFace('metrics', personId, face('hans_blix_01.jpg'));
  assert.equal(added.status, 200);
  // Where the time went: the person check, the extraction and the store write, each with its round trip.
  const timing = added.headers.get('server-timing') ?? '';
  for (const name of ['persons.enrolmentTarget', 'detector.extract', 'faces.add', 'rpc.detector.extract']) {
    assert.match(timing, new RegExp(`(^|, )${name.replace('.', '\\.')};dur=\\d`), timing);
  }
  const text = async (url: string) => (await fetch(url)).text();
  const gateway = await text(`${gatewayOps}/metrics`);
  assert.match(
    gateway,
    /visage_http_request_duration_seconds_count\{method="POST",route="\/largepersongroups\/:groupId\/persons\/:personId\/persistedfaces",status="200"\} 1/,
  );
  const detector = await text(`${detectorOps}/metrics`);
  assert.match(detector, /visage_extraction_duration_seconds_count\{[^}]*purpose="enrol"[^}]*\} 1/);
  assert.match(
    detector,
    /visage_messages_handled_total\{queue="visage.detector",pattern="detector.extract",outcome="ok"\} 1/,
  );
  const store = await text(`${storeOps}/metrics`);
  assert.match(store, /visage_faces_added_total 1/);
  assert.match(store, /visage_shard_active\{shard="visage.shard.\d\d"\} 1/);
});

test('the caller request id appears in the logs of the gateway, the detector and the store', async () => {
  await api.createGroup('trace');
  const personId = await api.createPerson('trace', 'p');
  const requestId = 'trace-0123456789';
  const response = await api.addFace('trace', personId, face('hans_blix_02.jpg'), '', { 'x-request-id': requestId });
  assert.equal(response.status, 200);
  await waitFor(
    () =>
      (['gateway', 'detector', 'store'] as const).every((s) => stack.logs(s).some((line) => line.includes(requestId))),
    10_000,
    'the request id in every service log',
  );
  for (const service of ['gateway', 'detector', 'store'] as const) {
    for (const line of stack.logs(service).filter((l) => l.includes(requestId))) {
      assert.doesNotThrow(() => JSON.parse(line), `${service} logs JSON`);
    }
  }
});
