/**
 * The Azure dialect as Microsoft's own npm clients see it, unmodified: the v5 SDK (`@azure/cognitiveservices-face`,
 * API v1.0) and the REST client (`@azure-rest/ai-vision-face`, v1.2 and the previews) enrol groups, persons and
 * faces, read back exactly the shapes they type, and get Azure's error codes.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { getLongRunningPoller, isUnexpected, type FaceClient as RestClient } from '@azure-rest/ai-vision-face';
import type { FaceClient } from '@azure/cognitiveservices-face';
import { edge, face } from './support/api';
import { restClient, v5Client, v5Refusal } from './support/azure-clients';
import { waitFor } from './support/stack';
import { Stack } from './support/stack';

// The gateway runs without API_KEYS here; the clients still send their key header, which it ignores.
const key = 'unused-key-0123456789';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let stack: Stack;
let imageServer: Server;
let imageUrl = '';
let v5: FaceClient;
let rest: RestClient;

before(async () => {
  imageServer = createServer((request, response) => {
    if (request.url === '/face.jpg')
      response.writeHead(200, { 'content-type': 'image/jpeg' }).end(edge('single_face.jpg'));
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => imageServer.listen(0, '127.0.0.1', resolve));
  imageUrl = `http://127.0.0.1:${(imageServer.address() as { port: number }).port}/face.jpg`;
  stack = await Stack.start({ env: { URL_FETCH_ALLOW: '127.0.0.1/32' } });
  v5 = v5Client(stack.baseUrl, key);
  rest = restClient(stack.baseUrl, key, 'v1.2');
});

after(async () => {
  await stack?.stop();
  imageServer?.close();
});

/** The REST client resolves with the error response; Azure's body and header must both name the code. */
function restRefusal(
  response: { status: string; headers: Record<string, string>; body: unknown },
  status: string,
  code: string,
): void {
  assert.equal(response.status, status, JSON.stringify(response.body));
  assert.equal((response.body as { error: { code: string } }).error.code, code);
  assert.equal(response.headers['x-ms-error-code'], code);
}

describe('v5 FaceClient (v1.0)', () => {
  test('large person groups: create, get, list with paging, update, delete', async () => {
    const created = await v5.largePersonGroup.create('v5-b', 'Group B', {
      userData: 'b-data',
      recognitionModel: 'recognition_04',
    });
    assert.equal(created._response.status, 200);
    assert.equal(created._response.bodyAsText ?? '', '');
    await v5.largePersonGroup.create('v5-a', 'Group A');
    await v5.largePersonGroup.create('v5-c', 'Group C');

    const plain = await v5.largePersonGroup.get('v5-b');
    assert.deepEqual(JSON.parse(plain._response.bodyAsText), {
      largePersonGroupId: 'v5-b',
      name: 'Group B',
      userData: 'b-data',
    });
    const withModel = await v5.largePersonGroup.get('v5-b', { returnRecognitionModel: true });
    assert.equal(withModel.recognitionModel, 'recognition_04');
    const noUserData = await v5.largePersonGroup.get('v5-a');
    assert.equal('userData' in JSON.parse(noUserData._response.bodyAsText), false);

    const all = await v5.largePersonGroup.list();
    assert.deepEqual(
      all.map((g) => g.largePersonGroupId),
      ['v5-a', 'v5-b', 'v5-c'],
    );
    // v5 fills in recognition_01 when the field is absent, so look at the wire.
    assert.equal('recognitionModel' in JSON.parse(all._response.bodyAsText)[0], false);
    const page = await v5.largePersonGroup.list({ start: 'v5-a', top: 1, returnRecognitionModel: true });
    assert.deepEqual(
      page.map((g) => [g.largePersonGroupId, g.recognitionModel]),
      [['v5-b', 'recognition_04']],
    );

    const updated = await v5.largePersonGroup.update('v5-b', { name: 'Group B2' });
    assert.equal(updated._response.status, 200);
    assert.equal(updated._response.bodyAsText ?? '', '');
    const renamed = await v5.largePersonGroup.get('v5-b', { returnRecognitionModel: true });
    assert.deepEqual(
      [renamed.name, renamed.userData, renamed.recognitionModel],
      ['Group B2', 'b-data', 'recognition_04'],
    );
    await v5Refusal(v5.largePersonGroup.update('v5-b', {}), 400, 'BadArgument');

    const deleted = await v5.largePersonGroup.deleteMethod('v5-c');
    assert.equal(deleted._response.status, 200);
    assert.equal(deleted._response.bodyAsText ?? '', '');
    await v5Refusal(v5.largePersonGroup.get('v5-c'), 404, 'LargePersonGroupNotFound');
    await v5Refusal(v5.largePersonGroup.create('v5-a', 'again'), 409, 'LargePersonGroupExists');
  });

  test('persons and faces: stream and URL adds, reads, updates and deletes', async () => {
    await v5.largePersonGroup.create('v5-people', 'People');
    const ada = await v5.largePersonGroupPerson.create('v5-people', { name: 'Ada', userData: 'ada-data' });
    assert.match(ada.personId!, uuid);
    assert.deepEqual(Object.keys(JSON.parse(ada._response.bodyAsText)), ['personId']);
    const bob = await v5.largePersonGroupPerson.create('v5-people', { name: 'Bob' });

    const fromStream = await v5.largePersonGroupPerson.addFaceFromStream(
      'v5-people',
      ada.personId!,
      face('barack_obama_01.jpg'),
      { userData: 'badge', detectionModel: 'detection_01' },
    );
    assert.match(fromStream.persistedFaceId, uuid);
    assert.deepEqual(Object.keys(JSON.parse(fromStream._response.bodyAsText)), ['persistedFaceId']);
    const fromUrl = await v5.largePersonGroupPerson.addFaceFromUrl('v5-people', ada.personId!, imageUrl);
    assert.match(fromUrl.persistedFaceId, uuid);

    const person = await v5.largePersonGroupPerson.get('v5-people', ada.personId!);
    assert.deepEqual(JSON.parse(person._response.bodyAsText), {
      personId: ada.personId,
      name: 'Ada',
      userData: 'ada-data',
      persistedFaceIds: [fromStream.persistedFaceId, fromUrl.persistedFaceId],
    });
    const listed = await v5.largePersonGroupPerson.list('v5-people');
    assert.deepEqual(
      listed.map((p) => p.personId),
      [ada.personId, bob.personId].sort(),
    );
    assert.deepEqual(listed.find((p) => p.personId === bob.personId)!.persistedFaceIds, []);
    assert.equal(listed.find((p) => p.personId === bob.personId)!.userData, undefined);

    const badge = await v5.largePersonGroupPerson.getFace('v5-people', ada.personId!, fromStream.persistedFaceId);
    assert.deepEqual(JSON.parse(badge._response.bodyAsText), {
      persistedFaceId: fromStream.persistedFaceId,
      userData: 'badge',
    });
    const plain = await v5.largePersonGroupPerson.getFace('v5-people', ada.personId!, fromUrl.persistedFaceId);
    assert.deepEqual(JSON.parse(plain._response.bodyAsText), { persistedFaceId: fromUrl.persistedFaceId });
    const faceUpdated = await v5.largePersonGroupPerson.updateFace(
      'v5-people',
      ada.personId!,
      fromUrl.persistedFaceId,
      { userData: 'from-url' },
    );
    assert.equal(faceUpdated._response.bodyAsText ?? '', '');
    const relabelled = await v5.largePersonGroupPerson.getFace('v5-people', ada.personId!, fromUrl.persistedFaceId);
    assert.equal(relabelled.userData, 'from-url');

    await v5.largePersonGroupPerson.update('v5-people', ada.personId!, { name: 'Ada L.' });
    assert.equal((await v5.largePersonGroupPerson.get('v5-people', ada.personId!)).name, 'Ada L.');

    const faceDeleted = await v5.largePersonGroupPerson.deleteFace(
      'v5-people',
      ada.personId!,
      fromStream.persistedFaceId,
    );
    assert.equal(faceDeleted._response.bodyAsText ?? '', '');
    await v5Refusal(
      v5.largePersonGroupPerson.getFace('v5-people', ada.personId!, fromStream.persistedFaceId),
      404,
      'PersistedFaceNotFound',
    );
    assert.deepEqual((await v5.largePersonGroupPerson.get('v5-people', ada.personId!)).persistedFaceIds, [
      fromUrl.persistedFaceId,
    ]);

    const personDeleted = await v5.largePersonGroupPerson.deleteMethod('v5-people', ada.personId!);
    assert.equal(personDeleted._response.bodyAsText ?? '', '');
    await v5Refusal(v5.largePersonGroupPerson.get('v5-people', ada.personId!), 404, 'PersonNotFound');
    await v5.largePersonGroup.deleteMethod('v5-people');
    await v5Refusal(v5.largePersonGroupPerson.list('v5-people'), 404, 'LargePersonGroupNotFound');
  });

  test('errors carry Azure codes', async () => {
    await v5.largePersonGroup.create('v5-errors', 'Errors');
    const person = await v5.largePersonGroupPerson.create('v5-errors', { name: 'p' });
    await v5Refusal(v5.largePersonGroupPerson.create('v5-missing', { name: 'p' }), 404, 'LargePersonGroupNotFound');
    await v5Refusal(
      v5.largePersonGroupPerson.addFaceFromStream('v5-errors', person.personId!, edge('multiple_faces_2.jpg')),
      400,
      'InvalidImage',
    );
    // v5 checks id formats before sending, so malformed ids are left to the REST client below.
    await v5Refusal(
      v5.largePersonGroupPerson.get('v5-errors', '00000000-0000-4000-8000-000000000000'),
      404,
      'PersonNotFound',
    );
  });
});

describe('REST client (v1.2)', () => {
  test('large person groups: create, get, list with paging, update, delete', async () => {
    const group = (id: string) => rest.path('/largepersongroups/{largePersonGroupId}', id);
    const created = await group('rest-b').put({
      body: { name: 'Group B', userData: 'b-data', recognitionModel: 'recognition_03' },
    });
    assert.equal(created.status, '200', JSON.stringify(created.body));
    assert.equal(created.body ?? '', '');
    assert.equal((await group('rest-a').put({ body: { name: 'Group A' } })).status, '200');

    const plain = await group('rest-b').get();
    if (isUnexpected(plain)) throw new Error(JSON.stringify(plain.body));
    assert.deepEqual(plain.body, { largePersonGroupId: 'rest-b', name: 'Group B', userData: 'b-data' });
    const withModel = await group('rest-b').get({ queryParameters: { returnRecognitionModel: true } });
    if (isUnexpected(withModel)) throw new Error(JSON.stringify(withModel.body));
    assert.equal(withModel.body.recognitionModel, 'recognition_03');

    const page = await rest.path('/largepersongroups').get({ queryParameters: { start: 'rest-a', top: 1 } });
    if (isUnexpected(page)) throw new Error(JSON.stringify(page.body));
    assert.deepEqual(
      page.body.map((g) => g.largePersonGroupId),
      ['rest-b'],
    );

    const updated = await group('rest-b').patch({ body: { userData: 'b2' } });
    assert.equal(updated.status, '200');
    assert.equal(updated.body ?? '', '');
    const reread = await group('rest-b').get();
    if (isUnexpected(reread)) throw new Error(JSON.stringify(reread.body));
    assert.deepEqual([reread.body.name, reread.body.userData], ['Group B', 'b2']);

    const deleted = await group('rest-a').delete();
    assert.equal(deleted.status, '200');
    assert.equal(deleted.body ?? '', '');
    restRefusal(await group('rest-a').get(), '404', 'LargePersonGroupNotFound');
    restRefusal(await group('Not_Valid').put({ body: { name: 'x' } }), '400', 'BadArgument');
    restRefusal(await group('rest-b').put({ body: { name: 'x' } }), '409', 'LargePersonGroupExists');
  });

  test('persons and faces: stream, chunked stream and URL adds, reads, updates and deletes', async () => {
    await rest.path('/largepersongroups/{largePersonGroupId}', 'rest-people').put({ body: { name: 'People' } });
    const persons = rest.path('/largepersongroups/{largePersonGroupId}/persons', 'rest-people');
    const createdPerson = await persons.post({ body: { name: 'Grace', userData: 'grace-data' } });
    if (isUnexpected(createdPerson)) throw new Error(JSON.stringify(createdPerson.body));
    assert.deepEqual(Object.keys(createdPerson.body), ['personId']);
    const personId = createdPerson.body.personId;
    assert.match(personId, uuid);
    const person = rest.path('/largepersongroups/{largePersonGroupId}/persons/{personId}', 'rest-people', personId);
    const faces = rest.path(
      '/largepersongroups/{largePersonGroupId}/persons/{personId}/persistedfaces',
      'rest-people',
      personId,
    );
    const faceOf = (persistedFaceId: string) =>
      rest.path(
        '/largepersongroups/{largePersonGroupId}/persons/{personId}/persistedfaces/{persistedFaceId}',
        'rest-people',
        personId,
        persistedFaceId,
      );

    const fromBytes = await faces.post({
      contentType: 'application/octet-stream',
      body: face('barack_obama_02.jpg'),
      queryParameters: { userData: 'bytes', detectionModel: 'detection_03' },
    });
    if (isUnexpected(fromBytes)) throw new Error(JSON.stringify(fromBytes.body));
    assert.deepEqual(Object.keys(fromBytes.body), ['persistedFaceId']);
    const chunked = await faces.post({
      contentType: 'application/octet-stream',
      body: Readable.from([face('barack_obama_03.jpg')]),
    });
    if (isUnexpected(chunked)) throw new Error(JSON.stringify(chunked.body));
    const fromUrl = await faces.post({ body: { url: imageUrl }, queryParameters: { userData: 'url' } });
    if (isUnexpected(fromUrl)) throw new Error(JSON.stringify(fromUrl.body));
    const faceIds = [fromBytes.body.persistedFaceId, chunked.body.persistedFaceId, fromUrl.body.persistedFaceId];
    for (const id of faceIds) assert.match(id, uuid);

    const read = await person.get();
    if (isUnexpected(read)) throw new Error(JSON.stringify(read.body));
    assert.deepEqual(read.body, { personId, name: 'Grace', userData: 'grace-data', persistedFaceIds: faceIds });
    const listed = await persons.get({ queryParameters: { top: 5 } });
    if (isUnexpected(listed)) throw new Error(JSON.stringify(listed.body));
    assert.deepEqual(listed.body, [read.body]);

    const urlFace = await faceOf(fromUrl.body.persistedFaceId).get();
    if (isUnexpected(urlFace)) throw new Error(JSON.stringify(urlFace.body));
    assert.deepEqual(urlFace.body, { persistedFaceId: fromUrl.body.persistedFaceId, userData: 'url' });
    const relabelled = await faceOf(fromUrl.body.persistedFaceId).patch({ body: { userData: 'relabelled' } });
    assert.equal(relabelled.status, '200');
    assert.equal(relabelled.body ?? '', '');
    const reread = await faceOf(fromUrl.body.persistedFaceId).get();
    if (isUnexpected(reread)) throw new Error(JSON.stringify(reread.body));
    assert.equal(reread.body.userData, 'relabelled');

    assert.equal((await person.patch({ body: { name: 'Grace H.' } })).status, '200');
    const renamed = await person.get();
    if (isUnexpected(renamed)) throw new Error(JSON.stringify(renamed.body));
    assert.equal(renamed.body.name, 'Grace H.');

    const faceDeleted = await faceOf(fromBytes.body.persistedFaceId).delete();
    assert.equal(faceDeleted.status, '200');
    assert.equal(faceDeleted.body ?? '', '');
    restRefusal(await faceOf(fromBytes.body.persistedFaceId).get(), '404', 'PersistedFaceNotFound');
    const personDeleted = await person.delete();
    assert.equal(personDeleted.status, '200');
    assert.equal(personDeleted.body ?? '', '');
    restRefusal(await person.get(), '404', 'PersonNotFound');
    const remaining = await persons.get();
    if (isUnexpected(remaining)) throw new Error(JSON.stringify(remaining.body));
    assert.deepEqual(remaining.body, []);
  });

  test('errors carry Azure codes in the body and in x-ms-error-code', async () => {
    await rest.path('/largepersongroups/{largePersonGroupId}', 'rest-errors').put({ body: { name: 'Errors' } });
    const created = await rest
      .path('/largepersongroups/{largePersonGroupId}/persons', 'rest-errors')
      .post({ body: { name: 'p' } });
    if (isUnexpected(created)) throw new Error(JSON.stringify(created.body));
    const faces = (groupId: string, personId: string) =>
      rest.path('/largepersongroups/{largePersonGroupId}/persons/{personId}/persistedfaces', groupId, personId);
    const image = face('barack_obama_04.jpg');

    restRefusal(
      await faces('rest-missing', created.body.personId).post({ contentType: 'application/octet-stream', body: image }),
      '404',
      'LargePersonGroupNotFound',
    );
    restRefusal(
      await rest.path('/largepersongroups/{largePersonGroupId}/persons', 'rest-missing').get(),
      '404',
      'LargePersonGroupNotFound',
    );
    restRefusal(
      await faces('rest-errors', 'not-a-guid').post({ contentType: 'application/octet-stream', body: image }),
      '404',
      'PersonNotFound',
    );
    restRefusal(
      await rest.path('/largepersongroups/{largePersonGroupId}/persons/{personId}', 'rest-errors', 'not-a-guid').get(),
      '404',
      'PersonNotFound',
    );
    restRefusal(
      await faces('rest-errors', created.body.personId).post({
        contentType: 'application/octet-stream',
        body: edge('multiple_faces_2.jpg'),
      }),
      '400',
      'InvalidImage',
    );
    restRefusal(
      await faces('rest-errors', created.body.personId).post({ body: { url: 'http://169.254.169.254/latest' } }),
      '400',
      'InvalidURL',
    );
    restRefusal(
      await faces('rest-errors', created.body.personId).post({
        contentType: 'application/octet-stream',
        body: image,
        queryParameters: { detectionModel: 'detection_09' as 'detection_01' },
      }),
      '400',
      'BadArgument',
    );
  });
});

describe('versions', () => {
  test('the preview versions serve the same routes', async () => {
    for (const version of ['v1.1-preview.1', 'v1.2-preview.1'] as const) {
      const listed = await restClient(stack.baseUrl, key, version)
        .path('/largepersongroups')
        .get({ queryParameters: { start: 'rest-a', top: 1 } });
      if (isUnexpected(listed)) throw new Error(`${version}: ${JSON.stringify(listed.body)}`);
      assert.deepEqual(
        listed.body.map((g) => g.largePersonGroupId),
        ['rest-b'],
        version,
      );
    }
  });

  test('an unknown version is a 404 in Azure shape', async () => {
    const response = await fetch(`${stack.baseUrl}/face/v9.9/largepersongroups`);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('x-ms-error-code'), 'NotFound');
    assert.deepEqual(Object.keys(((await response.json()) as { error: object }).error), ['code', 'message']);
  });

  test('bodyless GET and DELETE with a JSON content type, as v5 sends them, succeed', async () => {
    const headers = { 'content-type': 'application/json; charset=utf-8' };
    const route = `${stack.baseUrl}/face/v1.2/largepersongroups/bodyless`;
    const created = await fetch(route, { method: 'PUT', headers, body: '{"name":"b"}' });
    assert.equal(created.status, 200);
    assert.equal(created.headers.get('content-type'), null);
    assert.equal(await created.text(), '');
    const read = await fetch(route, { headers });
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('content-type'), 'application/json; charset=utf-8');
    const deleted = await fetch(route, { method: 'DELETE', headers: { ...headers, 'content-length': '0' } });
    assert.equal(deleted.status, 200);
    assert.equal(await deleted.text(), '');
  });
});

describe('recognition through both clients', () => {
  const enrol = ['colin_powell_02.jpg', 'colin_powell_03.jpg', 'hugo_chavez_02.jpg', 'hugo_chavez_03.jpg'];

  test('v5: train and poll, detect, identify, verify', async () => {
    await v5.largePersonGroup.create('rec-v5', 'Recognition v5');
    const probe = await v5.face.detectWithStream(face('colin_powell_01.jpg'));
    await v5Refusal(
      v5.face.identify([probe[0]!.faceId!], { largePersonGroupId: 'rec-v5' }),
      400,
      'LargePersonGroupNotTrained',
    );
    const powell = (await v5.largePersonGroupPerson.create('rec-v5', { name: 'Colin Powell' })).personId;
    const chavez = (await v5.largePersonGroupPerson.create('rec-v5', { name: 'Hugo Chavez' })).personId;
    for (const file of enrol) {
      await v5.largePersonGroupPerson.addFaceFromStream(
        'rec-v5',
        file.startsWith('colin') ? powell : chavez,
        face(file),
      );
    }
    await v5.largePersonGroup.train('rec-v5');
    await waitFor(
      async () => (await v5.largePersonGroup.getTrainingStatus('rec-v5')).status === 'succeeded',
      30_000,
      'v5 training',
    );

    const [detected] = await v5.face.detectWithStream(face('colin_powell_01.jpg'));
    assert.match(detected!.faceId!, uuid);
    const [identified] = await v5.face.identify([detected!.faceId!], { largePersonGroupId: 'rec-v5' });
    assert.equal(identified!.candidates.length, 1); // v5 sends maxNumOfCandidatesReturned=1
    assert.equal(identified!.candidates[0]!.personId, powell);

    const [other] = await v5.face.detectWithStream(face('colin_powell_04.jpg'));
    const same = await v5.face.verifyFaceToFace(detected!.faceId!, other!.faceId!);
    assert.equal(same.isIdentical, true);
    const toPerson = await v5.face.verifyFaceToPerson(detected!.faceId!, chavez, { largePersonGroupId: 'rec-v5' });
    assert.equal(toPerson.isIdentical, false);
  });

  test('REST v1.2: train with the client poller, detect with attributes, identify, verify', async () => {
    await rest.path('/largepersongroups/{largePersonGroupId}', 'rec-rest').put({ body: { name: 'Recognition REST' } });
    const ids: Record<string, string> = {};
    for (const name of ['colin_powell', 'hugo_chavez']) {
      const created = await rest
        .path('/largepersongroups/{largePersonGroupId}/persons', 'rec-rest')
        .post({ body: { name } });
      if (isUnexpected(created)) throw new Error(JSON.stringify(created.body));
      ids[name] = created.body.personId;
    }
    for (const file of enrol) {
      const personId = ids[file.startsWith('colin') ? 'colin_powell' : 'hugo_chavez']!;
      const added = await rest
        .path('/largepersongroups/{largePersonGroupId}/persons/{personId}/persistedfaces', 'rec-rest', personId)
        .post({ contentType: 'application/octet-stream', body: face(file) });
      assert.equal(added.status, '200');
    }
    const train = await rest.path('/largepersongroups/{largePersonGroupId}/train', 'rec-rest').post();
    assert.equal(train.status, '202');
    const poller = await getLongRunningPoller(rest, train);
    const final = await poller.pollUntilDone();
    assert.equal((final.body as { status: string }).status, 'succeeded');

    const detected = await rest.path('/detect').post({
      contentType: 'application/octet-stream',
      queryParameters: {
        returnFaceId: true,
        returnFaceLandmarks: true,
        returnFaceAttributes: ['qualityForRecognition'],
        recognitionModel: 'recognition_01',
        detectionModel: 'detection_01',
      },
      body: face('hugo_chavez_01.jpg'),
    });
    if (isUnexpected(detected)) throw new Error(JSON.stringify(detected.body));
    const [found] = detected.body;
    assert.ok(['low', 'medium', 'high'].includes(found!.faceAttributes!.qualityForRecognition!));
    assert.equal(Object.keys(found!.faceLandmarks!).length, 27);

    const identified = await rest.path('/identify').post({
      body: { faceIds: [found!.faceId!], largePersonGroupId: 'rec-rest', maxNumOfCandidatesReturned: 2 },
    });
    if (isUnexpected(identified)) throw new Error(JSON.stringify(identified.body));
    assert.equal(identified.body[0]!.candidates[0]!.personId, ids.hugo_chavez);

    const verified = await rest.path('/verify').post({
      body: { faceId: found!.faceId!, largePersonGroupId: 'rec-rest', personId: ids.hugo_chavez! },
    });
    if (isUnexpected(verified)) throw new Error(JSON.stringify(verified.body));
    assert.equal(verified.body.isIdentical, true);

    const expired = await rest.path('/identify').post({
      body: { faceIds: ['00000000-0000-4000-8000-000000000000'], largePersonGroupId: 'rec-rest' },
    });
    restRefusal(expired, '400', 'FaceNotFound');
  });
});

test('a person at the 248-face limit answers 403 QuotaExceeded to both clients', async () => {
  await v5.largePersonGroup.create('full', 'Full');
  const { personId } = await v5.largePersonGroupPerson.create('full', { name: 'Full person' });
  const db = await stack.db();
  try {
    // Enrolling 248 real photos takes minutes; the store reads the count from the person row under its lock.
    await db.query('UPDATE person SET face_count = 248 WHERE person_id = $1', [personId]);
  } finally {
    await db.end();
  }
  await v5Refusal(
    v5.largePersonGroupPerson.addFaceFromStream('full', personId, face('hans_blix_01.jpg')),
    403,
    'QuotaExceeded',
  );
  const refused = await rest
    .path('/largepersongroups/{largePersonGroupId}/persons/{personId}/persistedfaces', 'full', personId)
    .post({ contentType: 'application/octet-stream', body: face('hans_blix_02.jpg') });
  restRefusal(refused, '403', 'QuotaExceeded');
});
