/**
 * API keys and tenants end to end: requests without a valid key are refused in both dialects, each tenant sees
 * only its own groups, persons and faces (even under the same group id), a key past its rate limit gets 429
 * with Retry-After, the gateway refuses to serve a network without keys, and no key ever reaches its logs.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { edge, EnvelopeApi } from './support/api';
import { freePort, repoRoot, Stack, waitFor } from './support/stack';

const alphaKey = 'alpha-key-0f3c9d2e7a41';
const alphaSecondKey = 'alpha-second-key-8b5e20c4';
const betaKey = 'beta-key-5d19a7e3c0b6';
const wrongKey = 'wrong-key-7e4f1a9c3d20';
const apiKeys = `${alphaKey}:alpha,${alphaSecondKey}:alpha,${betaKey}:beta`;
const shardCount = 8;

let stack: Stack;
let api: EnvelopeApi;

before(async () => {
  stack = await Stack.start({ shardCount, env: { API_KEYS: apiKeys } });
  api = new EnvelopeApi(stack.baseUrl);
});

after(async () => {
  await stack?.stop();
});

const as =
  (headers: Record<string, string>) =>
  <T = Record<string, unknown>>(method: string, route: string, body?: unknown) =>
    api.call<T>(method, route, body, headers);
const alpha = as({ 'Ocp-Apim-Subscription-Key': alphaKey });
const beta = as({ authorization: `Bearer ${betaKey}` });

async function azure(baseUrl: string, route: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}/face/v1.2${route}`, { headers });
  return { response, body: (await response.json()) as { error?: { code: string; message: string } } & unknown[] };
}

describe('API keys', () => {
  test('a request without a key is 401 in the shape of its dialect', async () => {
    const envelope = await api.call('GET', '/largepersongroups');
    assert.equal(envelope.status, 401);
    assert.equal(envelope.body.success, false);
    assert.equal(envelope.body.error?.code, 'UNAUTHORIZED');

    const { response, body } = await azure(stack.baseUrl, '/largepersongroups');
    assert.equal(response.status, 401);
    assert.equal(body.error?.code, '401');
    assert.equal(typeof body.error?.message, 'string');
    assert.equal(response.headers.get('x-ms-error-code'), '401');
  });

  test('a wrong key is 401 whichever header carries it', async () => {
    for (const headers of <Record<string, string>[]>[
      { 'Ocp-Apim-Subscription-Key': wrongKey },
      { authorization: `Bearer ${wrongKey}` },
      { authorization: `Basic ${alphaKey}` },
      { 'Ocp-Apim-Subscription-Key': alphaKey.slice(0, -1) },
    ]) {
      const response = await as(headers)('GET', '/largepersongroups');
      assert.equal(response.status, 401, JSON.stringify(headers));
      assert.equal(response.body.error?.code, 'UNAUTHORIZED');
    }
  });

  test('a key works as Ocp-Apim-Subscription-Key and as a Bearer token', async () => {
    assert.equal((await alpha('GET', '/largepersongroups')).status, 200);
    assert.equal((await as({ authorization: `Bearer ${alphaKey}` })('GET', '/largepersongroups')).status, 200);
    assert.equal((await as({ authorization: `bearer ${alphaKey}` })('GET', '/largepersongroups')).status, 200);
    assert.equal(
      (await azure(stack.baseUrl, '/largepersongroups', { authorization: `Bearer ${betaKey}` })).response.status,
      200,
    );
  });

  test('health probes and the API description need no key', async () => {
    assert.equal((await fetch(`${stack.baseUrl}/health`)).status, 200);
    assert.equal((await fetch(`${stack.baseUrl}/ready`)).status, 200);
    const description = await fetch(`${stack.baseUrl}/openapi.json`);
    assert.equal(description.status, 200);
    const document = (await description.json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(document.openapi, '3.1.0');
    assert.ok(document.paths['/largepersongroups/{groupId}'] && document.paths['/face/{apiVersion}/detect']);
    const page = await fetch(`${stack.baseUrl}/docs`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /\/face\/\{apiVersion\}\/largepersongroups\/\{groupId\}/);
  });
});

describe('tenants', () => {
  test('two tenants create the same group id independently', async () => {
    assert.equal((await alpha('PUT', '/largepersongroups/shared', { name: 'Alpha shared' })).status, 200);
    assert.equal((await beta('PUT', '/largepersongroups/shared', { name: 'Beta shared' })).status, 200);
    assert.equal((await alpha<{ name: string }>('GET', '/largepersongroups/shared')).body.data?.name, 'Alpha shared');
    assert.equal((await beta<{ name: string }>('GET', '/largepersongroups/shared')).body.data?.name, 'Beta shared');
    assert.equal((await alpha('PUT', '/largepersongroups/shared', { name: 'again' })).body.error?.code, 'GROUP_EXISTS');
  });

  test("a tenant can neither see, list, change nor delete another tenant's group", async () => {
    assert.equal((await alpha('PUT', '/largepersongroups/alpha-only', { name: 'Alpha only' })).status, 200);
    const refused: [string, string, unknown?][] = [
      ['GET', '/largepersongroups/alpha-only'],
      ['PATCH', '/largepersongroups/alpha-only', { name: 'taken over' }],
      ['DELETE', '/largepersongroups/alpha-only'],
      ['GET', '/largepersongroups/alpha-only/persons'],
      ['POST', '/largepersongroups/alpha-only/persons', { name: 'intruder' }],
      ['POST', '/largepersongroups/alpha-only/train'],
      ['GET', '/largepersongroups/alpha-only/training'],
    ];
    for (const [method, route, body] of refused) {
      const response = await beta(method, route, body);
      assert.equal(response.status, 404, `${method} ${route}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.error?.code, 'GROUP_NOT_FOUND');
    }
    const listed = (response: { body: { data?: { id: string }[] } }) => response.body.data?.map((group) => group.id);
    assert.deepEqual(listed(await beta<{ id: string }[]>('GET', '/largepersongroups')), ['shared']);
    assert.deepEqual(listed(await alpha<{ id: string }[]>('GET', '/largepersongroups')), ['alpha-only', 'shared']);
    const sameTenant = as({ 'Ocp-Apim-Subscription-Key': alphaSecondKey });
    assert.deepEqual(listed(await sameTenant<{ id: string }[]>('GET', '/largepersongroups')), ['alpha-only', 'shared']);
    assert.equal((await alpha<{ name: string }>('GET', '/largepersongroups/alpha-only')).body.data?.name, 'Alpha only');

    const azureHeaders = { 'Ocp-Apim-Subscription-Key': betaKey };
    const missing = await azure(stack.baseUrl, '/largepersongroups/alpha-only', azureHeaders);
    assert.equal(missing.response.status, 404);
    assert.equal(missing.body.error?.code, 'LargePersonGroupNotFound');
    const azureList = await azure(stack.baseUrl, '/largepersongroups', azureHeaders);
    assert.deepEqual(
      azureList.body.map((group) => (group as { largePersonGroupId: string }).largePersonGroupId),
      ['shared'],
    );
  });

  test("a tenant can neither see nor touch another tenant's persons and faces under the same group id", async () => {
    const personId = await alpha<{ id: string }>('POST', '/largepersongroups/shared/persons', { name: 'Ada' }).then(
      (response) => response.body.data!.id,
    );
    const added = await api.addFace('shared', personId, edge('single_face.jpg'), '', {
      'Ocp-Apim-Subscription-Key': alphaKey,
    });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    const faceId = added.body.data!.id;
    const person = `/largepersongroups/shared/persons/${personId}`;
    const refused: [string, string, unknown?][] = [
      ['GET', person],
      ['PATCH', person, { name: 'Eve' }],
      ['DELETE', person],
      ['GET', `${person}/persistedfaces/${faceId}`],
      ['PATCH', `${person}/persistedfaces/${faceId}`, { userData: 'x' }],
      ['DELETE', `${person}/persistedfaces/${faceId}`],
    ];
    for (const [method, route, body] of refused) {
      const response = await beta(method, route, body);
      assert.equal(response.status, 404, `${method} ${route}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.error?.code, 'PERSON_NOT_FOUND');
    }
    assert.deepEqual((await beta('GET', '/largepersongroups/shared/persons')).body.data, []);
    assert.deepEqual(
      (await alpha<{ name: string; persisted_face_ids: string[] }>('GET', person)).body.data?.persisted_face_ids,
      [faceId],
    );
    assert.equal((await alpha('GET', `${person}/persistedfaces/${faceId}`)).status, 200);

    assert.equal((await beta('DELETE', '/largepersongroups/shared')).status, 200);
    assert.equal((await alpha<{ name: string }>('GET', '/largepersongroups/shared')).body.data?.name, 'Alpha shared');
    assert.equal((await alpha('GET', person)).status, 200);
  });
});

/** A gateway of our own on the stack's broker, with every line it writes to stdout and stderr kept. */
class GatewayProcess {
  private output = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async spawn(env: Record<string, string>): Promise<GatewayProcess> {
    const port = await freePort();
    const parentEnv = { ...process.env };
    delete parentEnv.API_KEYS;
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'apps', 'gateway', 'src', 'main.js')], {
      env: {
        ...parentEnv,
        AMQP_URL: stack.amqpUrl,
        SHARD_COUNT: String(shardCount),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'debug',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new GatewayProcess(child, `http://127.0.0.1:${port}`);
  }

  get logs(): string {
    return this.output;
  }

  async exitCode(timeoutMs = 30_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`gateway still running after ${timeoutMs} ms:\n${this.output}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async waitListening(): Promise<void> {
    await waitFor(() => this.output.includes('Gateway listening'), 60_000, `gateway listening:\n${this.output}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

describe('rate limit', () => {
  let gateway: GatewayProcess;

  before(async () => {
    gateway = await GatewayProcess.spawn({ API_KEYS: apiKeys, RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '3' });
    await gateway.waitListening();
  });

  after(async () => {
    await gateway?.stop();
  });

  const burst = (count: number, request: () => Promise<Response>) =>
    Promise.all(Array.from({ length: count }, request));

  test('a key past its burst gets 429 RATE_LIMITED with Retry-After, in both dialects', async () => {
    const headers = { 'Ocp-Apim-Subscription-Key': alphaKey };
    const envelope = await burst(8, () => fetch(`${gateway.baseUrl}/largepersongroups`, { headers }));
    const limited = envelope.filter((response) => response.status === 429);
    assert.ok(limited.length >= 4, `statuses: ${envelope.map((response) => response.status).join(',')}`);
    assert.ok(envelope.every((response) => response.status === 200 || response.status === 429));
    for (const response of limited) {
      assert.match(response.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      const body = (await response.json()) as { success: boolean; error: { code: string } };
      assert.equal(body.success, false);
      assert.equal(body.error.code, 'RATE_LIMITED');
    }

    const azureHeaders = { authorization: `Bearer ${betaKey}` };
    const azureBurst = await burst(8, () =>
      fetch(`${gateway.baseUrl}/face/v1.2/largepersongroups`, { headers: azureHeaders }),
    );
    const azureLimited = azureBurst.find((response) => response.status === 429);
    assert.ok(azureLimited, `statuses: ${azureBurst.map((response) => response.status).join(',')}`);
    assert.match(azureLimited.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.equal(azureLimited.headers.get('x-ms-error-code'), '429');
    assert.equal(((await azureLimited.json()) as { error: { code: string } }).error.code, '429');
  });

  test('each key has its own bucket, health probes are never limited, and a limited key recovers', async () => {
    const headers = { 'Ocp-Apim-Subscription-Key': alphaKey };
    await burst(5, () => fetch(`${gateway.baseUrl}/largepersongroups`, { headers }));
    const otherKey = await fetch(`${gateway.baseUrl}/largepersongroups`, {
      headers: { 'Ocp-Apim-Subscription-Key': alphaSecondKey },
    });
    assert.equal(otherKey.status, 200, 'another key of the same tenant is not limited');
    const probes = await burst(20, () => fetch(`${gateway.baseUrl}/health`));
    assert.ok(probes.every((response) => response.status === 200));
    await waitFor(
      async () => (await fetch(`${gateway.baseUrl}/largepersongroups`, { headers })).status === 200,
      10_000,
      'the limited key to be served again',
    );
  });

  test('the gateway never logs a key, right or wrong', async () => {
    for (const headers of <Record<string, string>[]>[
      { 'Ocp-Apim-Subscription-Key': wrongKey },
      { authorization: `Bearer ${wrongKey}` },
      { authorization: `Bearer ${betaKey}` },
    ]) {
      await fetch(`${gateway.baseUrl}/largepersongroups?start=${encodeURIComponent(wrongKey)}`, { headers });
    }
    await fetch(`${gateway.baseUrl}/no-such-route`, { headers: { 'Ocp-Apim-Subscription-Key': alphaKey } });
    await waitFor(() => gateway.logs.includes('no-such-route'), 10_000, 'the request log line');
    for (const key of [alphaKey, alphaSecondKey, betaKey, wrongKey]) {
      assert.ok(!gateway.logs.includes(key), `a key appears in the gateway's output:\n${gateway.logs}`);
    }
  });
});

describe('start-up rules', () => {
  test('without API_KEYS the gateway refuses to listen beyond loopback', async () => {
    const gateway = await GatewayProcess.spawn({ HOST: '0.0.0.0' });
    assert.equal(await gateway.exitCode(), 1);
    assert.match(gateway.logs, /Refusing to listen on 0\.0\.0\.0 without API_KEYS/);
  });

  test('without API_KEYS on loopback it serves and says so', async () => {
    const gateway = await GatewayProcess.spawn({});
    try {
      await gateway.waitListening();
      assert.match(gateway.logs, /No API_KEYS configured: serving without authentication on loopback/);
      assert.equal((await fetch(`${gateway.baseUrl}/largepersongroups`)).status, 200);
    } finally {
      await gateway.stop();
    }
  });

  test('a key shorter than 16 characters stops the start without printing it', async () => {
    const shortKey = 'short-key-12';
    const gateway = await GatewayProcess.spawn({ API_KEYS: `${alphaKey}:alpha,${shortKey}:beta` });
    assert.equal(await gateway.exitCode(), 1);
    assert.match(gateway.logs, /at least 16 characters/);
    assert.ok(!gateway.logs.includes(shortKey) && !gateway.logs.includes(alphaKey));
  });
});
