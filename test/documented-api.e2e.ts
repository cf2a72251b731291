/**
 * The user documentation, tried as a newcomer would: the README's curl examples, taken from README.md and run
 * verbatim with curl (the ids of earlier answers put in, as a user would), twice in a row; and every error code
 * of docs/api.md's table answered with the status and code the table gives, faults included (a detector
 * stopped, a broker connection closed, a write the database keeps refusing, small bounds).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { Logger } from '@nestjs/common';
import amqp, { type ChannelModel } from 'amqplib';
import type { CollectionKind } from '#contracts';
import { AmqpTransport, Queues } from '#messaging';
import { edge, EnvelopeApi, face, manifest, type ApiResponse } from './support/api';
import { waitingImages } from './support/detector-queue';
import { photoVariants } from './support/photo-variants';
import { facesDir, freePort, repoRoot, Stack, waitFor } from './support/stack';

const run = promisify(execFile);
const detectorQueueBound = 2;
const faceIdQuota = 25;
const managementUrl = process.env.TEST_RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672';

let stack: Stack;
let api: EnvelopeApi;
let broker: ChannelModel;
let shimDir: string;

before(async () => {
  stack = await Stack.start({
    env: { DETECTOR_QUEUE_MAX_LENGTH: String(detectorQueueBound), DETECTED_FACE_QUOTA: String(faceIdQuota) },
  });
  api = new EnvelopeApi(stack.baseUrl);
  broker = await amqp.connect(stack.amqpUrl);
  // The README makes fresh keys with uuidgen; where it is missing, a stand-in prints a UUID the same way.
  shimDir = mkdtempSync(path.join(tmpdir(), 'visage-readme-'));
  writeFileSync(
    path.join(shimDir, 'uuidgen'),
    `#!/bin/sh\nexec "${process.execPath}" -e 'console.log(require("node:crypto").randomUUID())'\n`,
    { mode: 0o755 },
  );
});

after(async () => {
  await broker?.close();
  await stack?.stop();
  if (shimDir) rmSync(shimDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------------
// The README's examples

interface Example {
  command: string;
  /** The `#` lines after the command: the answer the README shows. */
  shown: string;
}

/** The curl commands of the README's "Use" section with the answers shown under them, in order. */
function readmeExamples(): Example[] {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const use = readme.slice(readme.indexOf('\n## Use\n'), readme.indexOf('\n## ', readme.indexOf('\n## Use\n') + 1));
  const blocks = [...use.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1]!);
  const examples: Example[] = [];
  for (const block of blocks) {
    const lines = block.replace(/\\\n\s*/g, '').split('\n');
    for (const line of lines) {
      if (line.startsWith('curl ')) examples.push({ command: line, shown: '' });
      else if (line.startsWith('# ') && examples.length > 0) examples.at(-1)!.shown += line.slice(2);
    }
  }
  return examples;
}

interface CurlAnswer {
  status: number;
  headers: Map<string, string>;
  body: unknown;
}

async function curl(command: string): Promise<CurlAnswer> {
  const { stdout } = await run('bash', ['-c', `${command} -sS -i`], {
    env: { ...process.env, PATH: `${shimDir}:${process.env.PATH}` },
    maxBuffer: 16 * 2 ** 20,
  });
  let rest = stdout;
  let head = '';
  do {
    const end = rest.indexOf('\r\n\r\n');
    head = rest.slice(0, end);
    rest = rest.slice(end + 4);
  } while (/^HTTP\/[\d.]+ 100/.test(head));
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = new Map(
    headerLines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  return { status: Number(statusLine!.split(' ')[1]), headers, body: rest ? (JSON.parse(rest) as unknown) : undefined };
}

/** Every field name anywhere in a JSON value, with the string values found under it. */
function fieldsOf(value: unknown, into = new Map<string, unknown[]>()): Map<string, unknown[]> {
  if (Array.isArray(value)) for (const item of value) fieldsOf(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [name, child] of Object.entries(value)) {
      into.set(name, [...(into.get(name) ?? []), child]);
      fieldsOf(child, into);
    }
  }
  return into;
}

/** The answer has every field the README shows, and the same value wherever the README shows a whole one. */
function assertLooksAsShown(answer: unknown, shown: string, command: string): void {
  const fields = fieldsOf(answer);
  for (const [, name, value] of shown.matchAll(/"(\w+)":("[^"]*"|true|false)?/g)) {
    assert.ok(fields.has(name!), `${command}\nanswer lacks "${name}" shown in the README: ${JSON.stringify(answer)}`);
    if (value === undefined || value.includes('...')) continue;
    const expected = JSON.parse(value) as unknown;
    if (name === 'quality_for_recognition') continue; // depends on the photo the reader uses
    assert.ok(
      fields.get(name!)!.includes(expected),
      `${command}\n"${name}" is not ${value}: ${JSON.stringify(answer)}`,
    );
  }
}

/** One identity's two photos: the first enrolled as "ada.jpg", the second seen at the door. */
function readmePhotos(): { ada: string; doorCamera: string } {
  const photos = manifest().filter((photo) => photo.identity === 'colin_powell');
  return { ada: path.join(facesDir, photos[0]!.file), doorCamera: path.join(facesDir, photos[1]!.file) };
}

async function walkReadme(): Promise<void> {
  const photos = readmePhotos();
  const ids = new Map<string, string>();
  const azure = readmeExamples().filter((example) => example.command.includes('/face/'));
  const envelope = readmeExamples().filter((example) => !example.command.includes('/face/'));
  assert.ok(envelope.length >= 8 && azure.length >= 1, 'the README shows its curl examples');
  const put = (text: string) =>
    text
      .replaceAll('localhost:8080', `127.0.0.1:${stack.port}`)
      .replaceAll('@ada.jpg', `@${photos.ada}`)
      .replaceAll('@door-camera.jpg', `@${photos.doorCamera}`)
      .replace(/\b(3f0c|c1a7)\.\.\./g, (placeholder) => ids.get(placeholder) ?? placeholder);

  for (const { command: template, shown: shownTemplate } of envelope) {
    const command = put(template);
    assert.ok(!/\b[0-9a-f]{4}\.\.\./.test(command), `an id the README's answers should have given: ${command}`);
    const shown = put(shownTemplate);
    let answer = await curl(command);
    if (/"status":"succeeded"/.test(shown)) {
      // Training runs in the background: a user polls the status, as the README's text says.
      await waitFor(
        async () => {
          answer = await curl(command);
          return (answer.body as { data?: { status?: string } })?.data?.status === 'succeeded';
        },
        60_000,
        'training succeeded',
      );
    }
    const statusShown = /^(\d{3}),/.exec(shown)?.[1];
    assert.equal(answer.status, Number(statusShown ?? 200), `${command}\n${JSON.stringify(answer.body)}`);
    const location = /operation-Location: (\S+)/.exec(shown)?.[1];
    if (location) assert.equal(answer.headers.get('operation-location'), location, command);
    if (shown.startsWith('{')) assertLooksAsShown(answer.body, shown, command);
    const data = (answer.body as { data?: unknown })?.data;
    if (/\/persons'? /.test(`${template} `) && !ids.has('3f0c...')) ids.set('3f0c...', (data as { id: string }).id);
    if (template.includes('/detect')) ids.set('c1a7...', (data as { face_id: string }[])[0]!.face_id);
  }
  // The Azure example creates the same group in the other dialect: tried after the envelope one is removed.
  assert.equal((await api.call('DELETE', '/largepersongroups/staff')).status, 200);
  for (const { command } of azure) {
    const answer = await curl(put(command));
    assert.equal(answer.status, 200, `${command}\n${JSON.stringify(answer.body)}`);
  }
  assert.equal((await api.call('DELETE', '/largepersongroups/staff')).status, 200);
}

test("the README's curl examples answer as shown, twice in a row", async () => {
  await walkReadme();
  await walkReadme();
});

// ---------------------------------------------------------------------------------------------------------------
// The rules a newcomer trips over

test('answers are snake_case; detect returns attributes only when asked, detection_02 agrees', async () => {
  const plain = await api.call<Record<string, unknown>[]>('POST', '/detect', edge('single_face.jpg'));
  assert.equal(plain.status, 200, JSON.stringify(plain.body));
  assert.deepEqual(Object.keys(plain.body.data![0]!).sort(), ['face_id', 'face_rectangle']);
  const asked = await api.call<Record<string, unknown>[]>(
    'POST',
    '/detect?returnFaceId=false&returnFaceLandmarks=true&returnFaceAttributes=qualityForRecognition',
    edge('single_face.jpg'),
  );
  assert.deepEqual(Object.keys(asked.body.data![0]!).sort(), ['face_attributes', 'face_landmarks', 'face_rectangle']);
  assert.ok('pupil_left' in (asked.body.data![0]!.face_landmarks as object));
  const blaze = await api.call<Record<string, unknown>[]>(
    'POST',
    '/detect?detectionModel=detection_02&returnFaceId=false',
    edge('single_face.jpg'),
  );
  assert.deepEqual(Object.keys(blaze.body.data![0]!), ['face_rectangle']);
  const refused = await api.call(
    'POST',
    '/detect?detectionModel=detection_02&returnFaceAttributes=qualityForRecognition',
    edge('single_face.jpg'),
  );
  assert.equal(refused.status, 400);
  assert.match(refused.body.error!.message, /detection_02/);
});

test('a JSON route sent another content type answers 415 naming application/json, in both dialects', async () => {
  for (const [route, codeOf] of [
    ['/identify', (body: ApiResponse['body']) => body.error?.code],
    ['/face/v1.0/identify', (body: { error?: { code: string } }) => body.error?.code],
  ] as const) {
    // What curl's -d sends without -H 'content-type: application/json'.
    const response = await fetch(`${stack.baseUrl}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '{"faceIds": ["3f0c0000-0000-4000-8000-000000000000"], "largePersonGroupId": "staff"}',
    });
    const body = (await response.json()) as ApiResponse['body'];
    assert.equal(response.status, 415, route);
    assert.equal(codeOf(body), route.startsWith('/face/') ? 'BadArgument' : 'UNSUPPORTED_MEDIA_TYPE');
    assert.match(JSON.stringify(body), /application\/json/);
  }
});

test('one message per bad parameter; PATCH face {} and an ambiguous verify are refused', async () => {
  const top = await api.call('GET', '/largepersongroups?top=abc');
  assert.equal(top.status, 400);
  assert.doesNotMatch(top.body.error!.message, /;/, top.body.error!.message);
  assert.equal(top.body.error!.message, 'top must be an integer number');

  await api.createGroup('rules');
  const personId = await api.createPerson('rules', 'Ada');
  const updatedAt = async () =>
    (await api.call<{ updated_at: string }>('GET', `/largepersongroups/rules/persons/${personId}`)).body.data!
      .updated_at;
  const before = await updatedAt();
  const added = await api.addFace('rules', personId, edge('single_face.jpg'));
  assert.equal(added.status, 200, JSON.stringify(added.body));
  assert.equal(await updatedAt(), before, "a person's updated_at does not move when its faces change");
  const faceRoute = `/largepersongroups/rules/persons/${personId}/persistedfaces/${added.body.data!.id}`;
  const empty = await api.call('PATCH', faceRoute, {});
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error?.code, 'VALIDATION_ERROR');
  assert.equal((await api.call('PATCH', faceRoute, { userData: 'badge' })).status, 200);

  const faceId = '3f0c0000-0000-4000-8000-000000000000';
  const both = await api.call('POST', '/verify', {
    faceId1: faceId,
    faceId2: faceId,
    faceId,
    personId,
    largePersonGroupId: 'rules',
  });
  assert.equal(both.status, 400);
  assert.match(both.body.error!.message, /not both/);
});

// ---------------------------------------------------------------------------------------------------------------
// Every documented error code

interface DocumentedError {
  status: number;
  azureCode: string;
}

function documentedErrors(): Map<string, DocumentedError> {
  const doc = readFileSync(path.join(repoRoot, 'docs', 'api.md'), 'utf8');
  const table = doc.slice(doc.indexOf('\n## Errors\n'), doc.indexOf('\n## ', doc.indexOf('\n## Errors\n') + 1));
  return new Map(
    [...table.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| `([^`]+)` \|/gm)].map(([, code, status, azureCode]) => [
      code!,
      { status: Number(status), azureCode: azureCode! },
    ]),
  );
}

type Trigger = () => Promise<ApiResponse>;

async function detectOne(query = ''): Promise<string> {
  const detected = await api.call<{ face_id: string }[]>('POST', `/detect${query}`, edge('single_face.jpg'));
  assert.equal(detected.status, 200, JSON.stringify(detected.body));
  return detected.body.data![0]!.face_id;
}

/** Closes the gateways' broker connections, as a broker failover would; they reconnect by themselves. */
async function dropGatewayConnections(): Promise<void> {
  const url = new URL(managementUrl);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  const base = `${url.origin}/api`;
  const connections = (await (
    await fetch(`${base}/vhosts/${encodeURIComponent(stack.vhost)}/connections`, { headers: { authorization: auth } })
  ).json()) as { name: string; client_properties?: { connection_name?: string } }[];
  const gateways = connections.filter((c) => c.client_properties?.connection_name === 'visage-gateway');
  assert.ok(gateways.length > 0, 'the gateway is connected');
  for (const { name } of gateways) {
    await fetch(`${base}/connections/${encodeURIComponent(name)}`, {
      method: 'DELETE',
      headers: { authorization: auth },
    });
  }
}

async function spawnGateway(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  stack.spawn('gateway', { PORT: String(port), GATEWAY_OPS_PORT: '0', ...env });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${baseUrl}/health`).catch(() => undefined))?.ok === true, 30_000, 'gateway');
  return baseUrl;
}

test('every error code of docs/api.md is answered with the status and code it documents', async () => {
  const group = '/largepersongroups/errors';
  assert.equal((await api.createGroup('errors')).status, 200);
  const personId = await api.createPerson('errors', 'Grace');
  const person = `${group}/persons/${personId}`;
  assert.equal((await api.addFace('errors', personId, edge('single_face.jpg'))).status, 200);
  await api.call('POST', `${group}/train`);
  await waitFor(
    async () => (await api.call<{ status: string }>('GET', `${group}/training`)).body.data?.status === 'succeeded',
    60_000,
    'training',
  );
  const unknownId = '3f0c0000-0000-4000-8000-000000000000';
  const multiple = edgeManifestEntry('multiple_faces_5.jpg');
  const keyed = await spawnGateway({
    API_KEYS: 'documented-api-key-0001:acme',
    RATE_LIMIT_PER_SECOND: '1',
    RATE_LIMIT_BURST: '1',
  });
  const keyedApi = new EnvelopeApi(keyed);
  const hurried = await spawnGateway({ DETECT_TIMEOUT_MS: '1000' });
  const pending: Promise<ApiResponse>[] = [];
  // One detected face serves both face list triggers: the suite's faceId quota is small.
  let similarQueryId: Promise<string> | undefined;
  const similarQuery = () => (similarQueryId ??= detectOne());
  let faulty: AmqpTransport | undefined;
  const raw = (method: string, route: string, body: string, contentType: string) =>
    fetch(`${stack.baseUrl}${route}`, { method, headers: { 'content-type': contentType }, body }).then(async (r) => ({
      status: r.status,
      headers: r.headers,
      body: (await r.json()) as ApiResponse['body'],
    }));

  const triggers: [string, Trigger][] = [
    ['VALIDATION_ERROR', () => api.call('GET', '/largepersongroups?top=abc')],
    ['INVALID_JSON', () => raw('PUT', '/largepersongroups/json', '{"name": ', 'application/json')],
    ['INVALID_GROUP_ID', () => api.createGroup('Not_Lower!')],
    ['UNSUPPORTED_MEDIA_TYPE', () => raw('POST', '/detect', 'x', 'text/plain')],
    ['BODY_TOO_LARGE', () => api.createGroup('big-body', { name: 'x', userData: 'x'.repeat(300_000) })],
    ['INVALID_URL', () => api.call('POST', '/detect', { url: 'http://127.0.0.1:1/face.jpg' })],
    ['INVALID_IMAGE', () => api.call('POST', '/detect', edge('not_an_image.jpg'))],
    ['IMAGE_TOO_SMALL', () => api.call('POST', '/detect', edge('under_1kb.jpg'))],
    ['IMAGE_TOO_LARGE', () => api.call('POST', '/detect', Buffer.alloc(6 * 1024 * 1024 + 1, 0xff))],
    ['IMAGE_TOO_MANY_PIXELS', () => api.call('POST', '/detect', edge('pixel_flood_12000x12000.png'))],
    ['NO_FACE_DETECTED', () => api.addFace('errors', personId, edge('no_face_house.jpg'))],
    ['MULTIPLE_FACES', () => api.addFace('errors', personId, edge('multiple_faces_5.jpg'))],
    [
      'FACE_QUALITY_TOO_LOW',
      async () =>
        api.addFace(
          'errors',
          personId,
          await photoVariants.blurred(face('kate_hudson_02.jpg')),
          '?detectionModel=detection_02',
        ),
    ],
    ['TARGET_FACE_NO_FACE', () => api.addFace('errors', personId, edge('single_face.jpg'), '?targetFace=0,0,20,20')],
    [
      'TARGET_FACE_MULTIPLE_FACES',
      () =>
        api.addFace(
          'errors',
          personId,
          edge('multiple_faces_5.jpg'),
          `?targetFace=0,0,${multiple.width},${multiple.height}`,
        ),
    ],
    [
      'TARGET_FACE_OUT_OF_RANGE',
      () => api.addFace('errors', personId, edge('single_face.jpg'), '?targetFace=0,0,99999,99999'),
    ],
    ['INVALID_FACE_ATTRIBUTE', () => api.call('POST', '/detect?returnFaceAttributes=emotion', edge('single_face.jpg'))],
    [
      'FACE_ATTRIBUTE_NOT_AVAILABLE',
      () => api.call('POST', '/detect?returnFaceAttributes=glasses', edge('single_face.jpg')),
    ],
    [
      'FACE_ATTRIBUTE_NOT_SUPPORTED_BY_MODEL',
      () => api.call('POST', '/detect?detectionModel=detection_03&returnFaceAttributes=noise', edge('single_face.jpg')),
    ],
    ['GROUP_NOT_FOUND', () => api.call('GET', '/largepersongroups/no-such-group')],
    ['GROUP_EXISTS', () => api.createGroup('errors')],
    ['PERSON_NOT_FOUND', () => api.call('GET', `${group}/persons/${unknownId}`)],
    ['PERSISTED_FACE_NOT_FOUND', () => api.call('GET', `${person}/persistedfaces/${unknownId}`)],
    [
      'FACE_LIST_NOT_FOUND',
      async () => api.call('POST', '/findsimilars', { faceId: await similarQuery(), faceListId: 'no-such-list' }),
    ],
    [
      'LARGE_FACE_LIST_NOT_FOUND',
      async () => api.call('POST', '/findsimilars', { faceId: await similarQuery(), largeFaceListId: 'no-such-list' }),
    ],
    [
      'FACE_LIST_EXISTS',
      async () => {
        assert.equal((await api.call('PUT', '/facelists/fl-errors', { name: 'Face list' })).status, 200);
        return api.call('PUT', '/facelists/fl-errors', { name: 'Again' });
      },
    ],
    [
      'FACE_LIST_EMPTY',
      async () => api.call('POST', '/findsimilars', { faceId: await similarQuery(), faceListId: 'fl-errors' }),
    ],
    [
      'LIST_FACE_LIMIT_REACHED',
      async () => {
        await api.call('PUT', '/facelists/fl-full', { name: 'Full' });
        await seedListFaces('faceList', 'fl-full', 1000);
        return api.call('POST', '/facelists/fl-full/persistedfaces', edge('single_face.jpg'));
      },
    ],
    [
      'LARGE_FACE_LIST_EXISTS',
      async () => {
        assert.equal((await api.call('PUT', '/largefacelists/lfl-errors', { name: 'Large face list' })).status, 200);
        return api.call('PUT', '/largefacelists/lfl-errors', { name: 'Again' });
      },
    ],
    [
      'LARGE_FACE_LIST_NOT_TRAINED',
      async () => api.call('POST', '/findsimilars', { faceId: await similarQuery(), largeFaceListId: 'lfl-errors' }),
    ],
    ['LARGE_FACE_LIST_TRAINING_NOT_FOUND', () => api.call('GET', '/largefacelists/lfl-errors/training')],
    [
      'LARGE_FACE_LIST_TRAINING_IN_PROGRESS',
      async () => {
        await api.call('PUT', '/largefacelists/lfl-busy', { name: 'Busy' });
        await seedListFaces('largeFaceList', 'lfl-busy', 100_000);
        assert.equal((await api.call('POST', '/largefacelists/lfl-busy/train')).status, 202);
        return api.call('POST', '/largefacelists/lfl-busy/train');
      },
    ],
    [
      'FACE_LIMIT_REACHED',
      async () => {
        const full = await api.createPerson('errors', 'Full');
        await seedFaces('errors', full, 248);
        return api.addFace('errors', full, edge('single_face.jpg'));
      },
    ],
    [
      'IDEMPOTENCY_KEY_REUSED',
      async () => {
        const key = { 'Idempotency-Key': 'documented-api-1' };
        assert.equal((await api.call('PATCH', group, { userData: 'a' }, key)).status, 200);
        return api.call('PATCH', group, { userData: 'b' }, key);
      },
    ],
    [
      'GROUP_NOT_TRAINED',
      async () => {
        await api.createGroup('untrained');
        return api.call('POST', '/identify', { faceIds: [await detectOne()], largePersonGroupId: 'untrained' });
      },
    ],
    ['TRAINING_NOT_FOUND', () => api.call('GET', '/largepersongroups/untrained/training')],
    [
      'TRAINING_IN_PROGRESS',
      async () => {
        await api.createGroup('busy');
        await seedGroup('busy', 1000, 100);
        assert.equal((await api.call('POST', '/largepersongroups/busy/train')).status, 202);
        return api.call('POST', '/largepersongroups/busy/train');
      },
    ],
    ['PERSON_GROUP_NOT_FOUND', () => api.call('GET', '/persongroups/no-such-group')],
    [
      'GROUP_IDS_BOTH_GIVEN',
      () => api.call('POST', '/identify', { faceIds: [unknownId], largePersonGroupId: 'a', personGroupId: 'a' }),
    ],
    ['GROUP_IDS_BOTH_MISSING', () => api.call('POST', '/identify', { faceIds: [unknownId] })],
    [
      'PERSON_GROUP_EXISTS',
      async () => {
        assert.equal((await api.call('PUT', '/persongroups/pg-errors', { name: 'Person group' })).status, 200);
        return api.call('PUT', '/persongroups/pg-errors', { name: 'Again' });
      },
    ],
    [
      'PERSON_LIMIT_REACHED',
      async () => {
        await seedGroup('pg-errors', 10_000, 0, 'personGroup');
        return api.call('POST', '/persongroups/pg-errors/persons', { name: 'One too many' });
      },
    ],
    [
      'PERSON_GROUP_NOT_TRAINED',
      async () => {
        await api.call('PUT', '/persongroups/pg-untrained', { name: 'Untrained' });
        return api.call('POST', '/identify', { faceIds: [await detectOne()], personGroupId: 'pg-untrained' });
      },
    ],
    ['PERSON_GROUP_TRAINING_NOT_FOUND', () => api.call('GET', '/persongroups/pg-untrained/training')],
    [
      'PERSON_GROUP_TRAINING_IN_PROGRESS',
      async () => {
        await api.call('PUT', '/persongroups/pg-busy', { name: 'Busy' });
        await seedGroup('pg-busy', 1000, 100, 'personGroup');
        assert.equal((await api.call('POST', '/persongroups/pg-busy/train')).status, 202);
        return api.call('POST', '/persongroups/pg-busy/train');
      },
    ],
    ['FACE_ID_NOT_FOUND', () => api.call('POST', '/identify', { faceIds: [unknownId], largePersonGroupId: 'errors' })],
    ['VERIFY_FACE_ID_NOT_FOUND', () => api.call('POST', '/verify', { faceId1: unknownId, faceId2: unknownId })],
    [
      'RECOGNITION_MODEL_MISMATCH',
      async () => {
        const faceId = await detectOne('?recognitionModel=recognition_04');
        const response = await api.call('POST', '/identify', { faceIds: [faceId], largePersonGroupId: 'errors' });
        assert.match(
          response.body.error?.message ?? '',
          /recognition_04.*recognition_01.*recognitionModel=recognition_01/,
        );
        return response;
      },
    ],
    [
      'FACE_ID_QUOTA_REACHED',
      async () => {
        for (;;) {
          const response = await api.call('POST', '/detect', edge('multiple_faces_5.jpg'));
          if (response.status !== 200) return response;
        }
      },
    ],
    ['UNAUTHORIZED', () => keyedApi.call('GET', '/largepersongroups')],
    [
      'RATE_LIMITED',
      async () => {
        const key = { 'Ocp-Apim-Subscription-Key': 'documented-api-key-0001' };
        await keyedApi.call('GET', '/largepersongroups', undefined, key);
        return keyedApi.call('GET', '/largepersongroups', undefined, key);
      },
    ],
    [
      'WRITE_FAILED',
      async () => {
        // The database refuses this one person on every delivery, as a broken disk or trigger would.
        const db = await stack.db();
        try {
          await db.query(`CREATE FUNCTION refuse_person() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`);
          await db.query(`CREATE TRIGGER refuse_person BEFORE INSERT ON person FOR EACH ROW
            WHEN (NEW.name = 'Refused') EXECUTE FUNCTION refuse_person()`);
          const response = await api.call('POST', `${group}/persons`, { name: 'Refused' });
          const stored = await db.query(`SELECT 1 FROM person WHERE name = 'Refused'`);
          assert.equal(stored.rowCount, 0, 'nothing was written');
          return response;
        } finally {
          await db.query('DROP TRIGGER IF EXISTS refuse_person ON person');
          await db.end();
        }
      },
    ],
    // With the detectors stopped: a detect past its deadline, a broker connection lost under a waiting request,
    // a full queue, then a detector whose handler faults answering what waited.
    [
      'TIMEOUT',
      async () => {
        for (const detector of stack.running('detector')) await stack.kill(detector);
        return new EnvelopeApi(hurried).call('POST', '/detect', edge('single_face.jpg'));
      },
    ],
    [
      'SERVICE_UNAVAILABLE',
      async () => {
        await waitFor(async () => (await waitingImages(broker)) === 0, 10_000, 'expired images dropped');
        const waiting = api.call('POST', '/detect', edge('single_face.jpg'));
        await waitFor(async () => (await waitingImages(broker)) === 1, 10_000, 'the image waits');
        await dropGatewayConnections();
        return waiting;
      },
    ],
    [
      'DETECTOR_BUSY',
      async () => {
        await waitFor(async () => (await api.call('GET', '/largepersongroups')).status === 200, 30_000, 'reconnect');
        while ((await waitingImages(broker)) < detectorQueueBound) {
          const before = await waitingImages(broker);
          pending.push(api.call('POST', '/detect', edge('single_face.jpg')));
          await waitFor(async () => (await waitingImages(broker)) > before, 10_000, 'queued');
        }
        return api.call('POST', '/detect', edge('single_face.jpg'));
      },
    ],
    [
      'INTERNAL_ERROR',
      async () => {
        // The stand-in's own fault logs are expected here.
        Logger.overrideLogger(false);
        faulty = new AmqpTransport({
          url: stack.amqpUrl,
          name: 'faulty-detector',
          consumers: [{ queue: Queues.detector, prefetch: 1, onFault: 'final' }],
        });
        faulty.addHandler('detector.extract', () => Promise.reject(new Error('injected detector fault')));
        await new Promise<void>((resolve, reject) => faulty!.listen((error) => (error ? reject(error) : resolve())));
        return pending.at(-1)!;
      },
    ],
    ['ROUTE_NOT_FOUND', () => api.call('GET', '/no-such-route')],
  ];

  const documented = documentedErrors();
  assert.deepEqual(
    triggers.map(([code]) => code).sort(),
    [...documented.keys()].sort(),
    'one trigger per documented code',
  );
  try {
    for (const [code, trigger] of triggers) {
      const response = await trigger();
      const expected = documented.get(code)!;
      assert.deepEqual(
        [response.status, response.body.error?.code],
        [expected.status, code],
        `${code}: ${JSON.stringify(response.body)}`,
      );
    }
  } finally {
    await faulty?.close();
    await Promise.allSettled(pending);
  }
  stack.spawn('detector');
  await stack.waitReady();
});

function edgeManifestEntry(file: string): { width: number; height: number } {
  const entries = JSON.parse(readFileSync(path.join(facesDir, 'edge', 'manifest.json'), 'utf8')) as {
    file: string;
    width: number;
    height: number;
  }[];
  return entries.find((entry) => entry.file === file)!;
}

/** Faces written straight into the database: the limit is about the count, not about real photos. */
async function seedFaces(groupId: string, personId: string, count: number): Promise<void> {
  const db = await stack.db();
  try {
    await db.query(
      `INSERT INTO persisted_face (persisted_face_id, person_id, tenant_id, kind, group_id, detection_model,
         recognition_model, face_rectangle, embedding, request_id, created_at)
       SELECT gen_random_uuid(), $2::uuid, 'default', 'largePersonGroup', $1, 'detection_01', 'recognition_01',
         '{"left":0,"top":0,"width":100,"height":100}', decode(repeat('0000803f', 128), 'hex'),
         'seed-' || $2::text || '-' || i, now()
       FROM generate_series(1, $3::int) i`,
      [groupId, personId, count],
    );
    await db.query('UPDATE person SET face_count = face_count + $2 WHERE person_id = $1', [personId, count]);
  } finally {
    await db.end();
  }
}

/** Faces of a face list written straight into the database, counted on the list as the store counts them. */
async function seedListFaces(kind: 'faceList' | 'largeFaceList', listId: string, count: number): Promise<void> {
  const db = await stack.db();
  try {
    await db.query(
      `INSERT INTO persisted_face (persisted_face_id, person_id, tenant_id, kind, group_id, detection_model,
         recognition_model, face_rectangle, embedding, request_id, created_at)
       SELECT gen_random_uuid(), NULL, 'default', $1, $2, 'detection_01', 'recognition_01',
         '{"left":0,"top":0,"width":100,"height":100}', decode(repeat('0000803f', 128), 'hex'),
         'seed-' || $2 || '-' || i, now()
       FROM generate_series(1, $3::int) i`,
      [kind, listId, count],
    );
    await db.query(`UPDATE collection SET face_count = face_count + $3 WHERE kind = $1 AND group_id = $2`, [
      kind,
      listId,
      count,
    ]);
  } finally {
    await db.end();
  }
}

/** A group large enough that its training is still running when the next request arrives. */
async function seedGroup(
  groupId: string,
  persons: number,
  facesEach: number,
  kind: CollectionKind = 'largePersonGroup',
): Promise<void> {
  const db = await stack.db();
  try {
    await db.query(
      `INSERT INTO person (person_id, tenant_id, kind, group_id, name, face_count, created_at, updated_at)
       SELECT gen_random_uuid(), 'default', $4, $1, 'p' || i, $3, now(), now() FROM generate_series(1, $2::int) i`,
      [groupId, persons, facesEach, kind],
    );
    await db.query(
      `INSERT INTO persisted_face (persisted_face_id, person_id, tenant_id, kind, group_id, detection_model,
         recognition_model, face_rectangle, embedding, request_id, created_at)
       SELECT gen_random_uuid(), p.person_id, 'default', $3, $1, 'detection_01', 'recognition_01',
         '{"left":0,"top":0,"width":100,"height":100}', decode(repeat('0000803f', 128), 'hex'),
         'seed-' || p.person_id || '-' || i, now()
       FROM person p CROSS JOIN generate_series(1, $2::int) i WHERE p.group_id = $1 AND p.kind = $3`,
      [groupId, facesEach, kind],
    );
  } finally {
    await db.end();
  }
}
