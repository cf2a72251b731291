/**
 * Input Postgres cannot hold, or that would break validation, is refused at the gateway in one step; the store
 * answers what retrying cannot fix at once; forwarded headers count only from a trusted proxy; an unreadable
 * reply fails its request and the gateway keeps serving.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { connect } from 'amqplib';
import { VisageError } from '#contracts';
import { encodeFrame, Queues, type RpcClient } from '#messaging';
import { EnvelopeApi, type ApiResponse } from './support/api';
import { addFaceRequest, connectRpc } from './support/rpc';
import { freePort, Stack, waitFor } from './support/stack';

let stack: Stack;
let rpc: RpcClient;
let api: EnvelopeApi;

// Before these rules each of these requests took about 11 s: five failed deliveries, then the dead-letter queue.
const promptMs = 3000;

before(async () => {
  // At info level the store logs each handled message with its request id and outcome.
  stack = await Stack.start({ shardCount: 2, env: { LOG_LEVEL: 'info' } });
  rpc = await connectRpc(stack.amqpUrl);
  api = new EnvelopeApi(stack.baseUrl);
  assert.equal((await api.createGroup('hygiene')).status, 200);
});

after(async () => {
  await rpc?.close();
  await stack?.stop();
});

/** One raw JSON request (the body as text, so it can hold what JSON.stringify would not write). */
async function send(method: string, route: string, body?: string, headers: Record<string, string> = {}) {
  const requestId = `hygiene-${randomUUID()}`;
  const started = performance.now();
  const response = await fetch(`${stack.baseUrl}${route}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    body: JSON.parse(text) as ApiResponse['body'],
    ms: performance.now() - started,
    requestId,
  };
}

function storeLinesOf(requestId: string): string[] {
  return stack.logs('store').filter((line) => line.includes(requestId));
}

async function assertRefusedAtGateway(method: string, route: string, body: string | undefined, message: RegExp) {
  const answer = await send(method, route, body);
  assert.equal(answer.status, 400, `${method} ${route}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.body.error?.code, 'VALIDATION_ERROR');
  assert.match(answer.body.error!.message, message);
  assert.ok(answer.ms < promptMs, `${method} ${route} answered in ${Math.round(answer.ms)} ms`);
  assert.deepEqual(storeLinesOf(answer.requestId), [], 'the store never saw the request');
}

test('a NUL character anywhere in the input is a 400 from the gateway, and nothing is stored', async () => {
  const personId = await api.createPerson('hygiene', 'Ada');
  const nul = /must not contain the NUL character/;
  const persons = '/largepersongroups/hygiene/persons';
  await assertRefusedAtGateway('POST', persons, '{"name":"a\\u0000b"}', /^body\.name must not contain/);
  await assertRefusedAtGateway('POST', persons, '{"name":"ok","x":{"y":[1,"\\u0000"]}}', /^body\.x\.y\[1\]/);
  await assertRefusedAtGateway('POST', persons, '{"name":"ok","n\\u0000":1}', /Field names in the body/);
  await assertRefusedAtGateway('PATCH', `${persons}/${personId}`, '{"userData":"\\u0000"}', nul);
  await assertRefusedAtGateway('PUT', '/largepersongroups/hygiene-nul', '{"name":"g","userData":"x\\u0000"}', nul);
  await assertRefusedAtGateway('GET', '/largepersongroups?start=%00', undefined, /^query\.start/);
  await assertRefusedAtGateway('GET', '/largepersongroups/hygiene%00/persons', undefined, /^path\.groupId/);
  await assertRefusedAtGateway('POST', `${persons}/${personId}/persistedfaces?userData=%00x`, '{"url":"x"}', nul);

  const azure = await send('POST', '/face/v1.2/largepersongroups/hygiene/persons', '{"name":"a\\u0000b"}');
  assert.equal(azure.status, 400);
  assert.equal(azure.body.error?.code, 'BadArgument');

  assert.equal((await api.call('GET', '/largepersongroups/hygiene-nul')).status, 404);
  const people = await api.call<{ id: string; user_data: string | null }[]>('GET', persons);
  assert.deepEqual(
    people.body.data!.map((p) => [p.id, p.user_data]),
    [[personId, null]],
  );
});

test('null is refused where a value is needed and clears userData where the API allows it', async () => {
  const personId = await api.createPerson('hygiene', 'Grace');
  const person = `/largepersongroups/hygiene/persons/${personId}`;
  await assertRefusedAtGateway('PATCH', person, '{"name":null}', /name must be/);
  await assertRefusedAtGateway('PATCH', '/largepersongroups/hygiene', '{"name":null}', /name must be/);
  await assertRefusedAtGateway('POST', '/largepersongroups/hygiene/persons', '{"name":null}', /name must be/);
  await assertRefusedAtGateway(
    'PUT',
    '/largepersongroups/hygiene-null',
    '{"name":"g","recognitionModel":null}',
    /recognitionModel/,
  );
  const identify = '{"faceIds":["3f0c0000-0000-4000-8000-000000000000"],"largePersonGroupId":null}';
  await assertRefusedAtGateway('POST', '/identify', identify, /largePersonGroupId must be a string/);
  assert.equal((await api.call<{ name: string }>('GET', person)).body.data!.name, 'Grace');

  assert.equal((await send('PATCH', person, '{"userData":"badge"}')).status, 200);
  const cleared = await send('PATCH', person, '{"userData":null}');
  assert.equal(cleared.status, 200);
  assert.equal((await api.call<{ user_data: unknown }>('GET', person)).body.data!.user_data, null);
});

test('JSON nested 5000 levels deep is a 400 naming the nesting limit, on every JSON route', async () => {
  const deep = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  const limit = /nests objects and arrays deeper than 32 levels/;
  await assertRefusedAtGateway('POST', '/largepersongroups/hygiene/persons', `{"name":"x","e":${deep(5000)}}`, limit);
  await assertRefusedAtGateway('POST', '/identify', `[${deep(5000)}]`, limit);
  const personId = await api.createPerson('hygiene', 'Deep');
  await assertRefusedAtGateway(
    'POST',
    `/largepersongroups/hygiene/persons/${personId}/persistedfaces`,
    deep(5000),
    limit,
  );
  const azure = await send('PUT', '/face/v1.0/largepersongroups/hygiene-deep', deep(5000));
  assert.equal(azure.status, 400);
  // Within the limit the body is judged as usual: unknown fields are dropped.
  const within = await send('POST', '/largepersongroups/hygiene/persons', `{"name":"Within","e":${deep(30)}}`);
  assert.equal(within.status, 200);
});

/** The store's log lines for a request: one handled delivery, answered, never requeued or dead-lettered. */
function assertAnsweredOnce(requestId: string): void {
  const lines = storeLinesOf(requestId);
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0]!, /"outcome":"error"/);
  assert.match(lines[0]!, /"error":"VALIDATION_ERROR"/);
  assert.deepEqual(
    stack.logs('store').filter((line) => /requeueing|dead_letter/.test(line)),
    [],
  );
}

test('the store answers a value Postgres refuses at once, without redelivery or dead-lettering', async () => {
  const personId = await api.createPerson('hygiene', 'Direct');
  const refused = (error: unknown) => error instanceof VisageError && error.key === 'VALIDATION_ERROR';
  const cases: [string, (requestId: string) => Promise<unknown>][] = [
    [
      'a face whose userData holds NUL, on a shard queue',
      (requestId) =>
        rpc.send(
          'faces.add',
          { ...addFaceRequest('default', 'hygiene', personId), userData: 'a\u0000b' },
          { requestId },
        ),
    ],
    [
      'a person renamed to null, on the store queue',
      (requestId) =>
        rpc.send(
          'persons.update',
          {
            tenantId: 'default',
            kind: 'largePersonGroup',
            groupId: 'hygiene',
            personId,
            name: null as unknown as string,
            requestId,
            fingerprint: 'rename-to-null',
          },
          { requestId },
        ),
    ],
    [
      'a group list starting at NUL, a read',
      (requestId) =>
        rpc.send(
          'groups.list',
          { tenantId: 'default', kind: 'largePersonGroup', start: '\u0000', top: 10 },
          { requestId },
        ),
    ],
  ];
  for (const [what, call] of cases) {
    const requestId = `direct-${randomUUID()}`;
    const started = performance.now();
    await assert.rejects(call(requestId), refused, what);
    const ms = performance.now() - started;
    assert.ok(ms < promptMs, `${what}: answered in ${Math.round(ms)} ms`);
    await waitFor(() => storeLinesOf(requestId).length > 0, 5000, `the store's log line of ${what}`);
    assertAnsweredOnce(requestId);
  }
  const person = await rpc.send('persons.get', {
    tenantId: 'default',
    kind: 'largePersonGroup',
    groupId: 'hygiene',
    personId,
  });
  assert.equal(person.name, 'Direct');
  assert.deepEqual(person.persistedFaceIds, []);
});

test('X-Forwarded-Host and X-Forwarded-Proto count only from a peer TRUST_PROXY names', async () => {
  const forwarded = { 'x-forwarded-host': 'faces.example.com', 'x-forwarded-proto': 'https' };
  assert.equal((await api.createGroup('proxy-off')).status, 200);
  const untrusted = await fetch(`${stack.baseUrl}/largepersongroups/proxy-off/train`, {
    method: 'POST',
    headers: forwarded,
  });
  assert.equal(untrusted.status, 202);
  assert.equal(untrusted.headers.get('operation-location'), `${stack.baseUrl}/largepersongroups/proxy-off/training`);

  const port = await freePort();
  stack.spawn('gateway', { PORT: String(port), TRUST_PROXY: 'loopback' });
  const behindProxy = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (await fetch(`${behindProxy}/health`).catch(() => undefined))?.ok === true,
    30_000,
    'gateway',
  );
  assert.equal((await api.createGroup('proxy-on')).status, 200);
  const trusted = await fetch(`${behindProxy}/face/v1.2/largepersongroups/proxy-on/train`, {
    method: 'POST',
    headers: forwarded,
  });
  assert.equal(trusted.status, 202);
  assert.equal(
    trusted.headers.get('operation-location'),
    'https://faces.example.com/face/v1.2/largepersongroups/proxy-on/training',
  );
});

// Last: it stops the store, to answer the gateway's requests itself.
test('a reply the gateway cannot read fails that request with INTERNAL_ERROR and the gateway keeps serving', async () => {
  for (const store of stack.running('store')) await stack.kill(store);
  const gateways = stack.running('gateway');
  const connection = await connect(stack.amqpUrl);
  try {
    const channel = await connection.createChannel();
    const replies = [
      Buffer.from('not a frame at all'),
      encodeFrame(null),
      encodeFrame({ ok: false, error: { key: 'constructor', message: 'inherited, not a catalogue entry' } }),
    ];
    await channel.consume(Queues.storeReads, (message) => {
      if (!message) return;
      const reply = replies.shift() ?? encodeFrame({ ok: true, data: [] });
      channel.sendToQueue(message.properties.replyTo as string, reply, {
        correlationId: message.properties.correlationId as string,
      });
      channel.ack(message);
    });
    for (let i = 0; i < 3; i++) {
      const answer = await send('GET', '/largepersongroups');
      assert.equal(answer.status, 500, JSON.stringify(answer.body));
      assert.equal(answer.body.error?.code, 'INTERNAL_ERROR');
    }
    for (const gateway of gateways) assert.equal(gateway.exitCode, null, 'the gateway process lives');
    const healthy = await send('GET', '/largepersongroups');
    assert.equal(healthy.status, 200);
    assert.deepEqual(healthy.body.data, []);
  } finally {
    await connection.close();
  }
});
