/**
 * The gateway's operations endpoints: keyless /ready says only up or down, details need a key or the ops port,
 * a flood of /ready shares one probe, and metrics are served on the ops port, not on the public API.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort, Stack, waitFor } from './support/stack';

const key = 'ops-endpoints-key-0001';
let stack: Stack;
let gatewayOps: string;
let detectorOps: string;

before(async () => {
  const [gatewayPort, detectorPort] = [await freePort(), await freePort()];
  gatewayOps = `http://127.0.0.1:${gatewayPort}`;
  detectorOps = `http://127.0.0.1:${detectorPort}`;
  stack = await Stack.start({
    env: {
      API_KEYS: `${key}:tenant-a`,
      GATEWAY_OPS_PORT: String(gatewayPort),
      DETECTOR_OPS_PORT: String(detectorPort),
    },
  });
});

after(async () => stack?.stop());

async function json(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Status messages the detector has answered so far, from its own metrics. */
async function detectorStatusMessages(): Promise<number> {
  const text = await (await fetch(`${detectorOps}/metrics`)).text();
  const match =
    /visage_messages_handled_total\{queue="visage.detector",pattern="detector.status",outcome="ok"\} (\d+)/.exec(text);
  return Number(match?.[1] ?? 0);
}

test('keyless /ready is a plain up; a valid key or the ops port shows what each part answered', async () => {
  assert.deepEqual(await json(`${stack.baseUrl}/ready`), { status: 200, body: { status: 'ready' } });
  assert.deepEqual(await json(`${stack.baseUrl}/ready`, { 'ocp-apim-subscription-key': 'not-a-valid-key-000' }), {
    status: 200,
    body: { status: 'ready' },
  });
  const withKey: Record<string, string>[] = [{ 'ocp-apim-subscription-key': key }, { authorization: `Bearer ${key}` }];
  for (const headers of withKey) {
    const detailed = await json(`${stack.baseUrl}/ready`, headers);
    assert.equal(detailed.status, 200);
    assert.equal(detailed.body.status, 'ready');
    assert.equal(detailed.body.broker, 'up');
    assert.match(String((detailed.body.detector as { backend: string }).backend), /^(tensorflow|wasm-simd|wasm|cpu)$/);
    assert.equal((detailed.body.store as { database: string }).database, 'up');
    assert.deepEqual(detailed.body.deployment, { mode: 'distributed', messaging: 'rabbitmq', database: 'external' });
    assert.equal((detailed.body.queues as Record<string, number>)['visage.detector'], 0, 'queue depths, none waiting');
  }
  const ops = await json(`${gatewayOps}/ready`);
  assert.equal(ops.status, 200);
  assert.equal(ops.body.broker, 'up');
  assert.equal((ops.body.store as { database: string }).database, 'up');
  assert.deepEqual(await json(`${gatewayOps}/health`), { status: 200, body: { status: 'ok' } });
});

test('a flood of /ready shares probes instead of sending two messages per request', async () => {
  const before = await detectorStatusMessages();
  const answers = await Promise.all(Array.from({ length: 200 }, () => json(`${stack.baseUrl}/ready`)));
  for (const answer of answers) assert.deepEqual(answer, { status: 200, body: { status: 'ready' } });
  const sent = (await detectorStatusMessages()) - before;
  assert.ok(sent <= 2, `200 readiness requests sent ${sent} status messages to the detector`);
});

test('metrics are on the ops port, not on the public API', async () => {
  const publicMetrics = await fetch(`${stack.baseUrl}/metrics`, { headers: { 'ocp-apim-subscription-key': key } });
  assert.equal(publicMetrics.status, 404);
  assert.doesNotMatch(await publicMetrics.text(), /visage_/);
  const ops = await fetch(`${gatewayOps}/metrics`);
  assert.equal(ops.status, 200);
  const text = await ops.text();
  assert.match(text, /visage_http_request_duration_seconds_count\{method="GET",route="\/ready",status="200"\} \d+/);
  assert.match(text, /visage_process_/);
});

test('without a detector, keyless /ready is a plain 503; the ops port says which part is missing', async () => {
  for (const detector of stack.running('detector')) await stack.kill(detector);
  await waitFor(async () => (await fetch(`${stack.baseUrl}/ready`)).status === 503, 20_000, 'gateway not ready');
  assert.deepEqual(await json(`${stack.baseUrl}/ready`), { status: 503, body: { status: 'not ready' } });
  const detailed = await json(`${stack.baseUrl}/ready`, { 'ocp-apim-subscription-key': key });
  assert.equal(detailed.status, 503);
  assert.ok((detailed.body.detector as { error?: string }).error, JSON.stringify(detailed.body));
  assert.equal((detailed.body.store as { database: string }).database, 'up');
  const ops = await json(`${gatewayOps}/ready`);
  assert.equal(ops.status, 503);
  assert.equal(ops.body.status, 'not ready');
  assert.ok((ops.body.detector as { error?: string }).error, JSON.stringify(ops.body));
});
