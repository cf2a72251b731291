/**
 * Azure's PersonGroup family next to large person groups: every operation through the v5 client
 * (`client.personGroup*`), the v1.2 REST client and the envelope dialect; identify and verify by
 * `personGroupId`; its own id namespace, error codes and person limit; tenants kept apart.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getLongRunningPoller, isUnexpected, type FaceClient as RestClient } from '@azure-rest/ai-vision-face';
import type { FaceClient } from '@azure/cognitiveservices-face';
import type { EnvelopeApi } from './support/api';
import { face } from './support/api';
import { TwoTenantStack, v5Refusal } from './support/azure-clients';
import { waitFor, type Stack } from './support/stack';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let tenants: TwoTenantStack;
let stack: Stack;
let imageUrl = '';
let v5: FaceClient;
let rest: RestClient;
let api: EnvelopeApi;
let beta: EnvelopeApi;

before(async () => {
  tenants = await TwoTenantStack.start(face('hans_blix_01.jpg'));
  ({ stack, imageUrl } = tenants);
  v5 = tenants.v5();
  rest = tenants.rest();
  api = tenants.envelope('alpha');
  beta = tenants.envelope('beta');
});

after(() => tenants?.stop());

describe('v5 FaceClient: personGroup and personGroupPerson', () => {
  test('groups: create, get, list, update, delete, with Azure codes', async () => {
    const created = await v5.personGroup.create('pg-a', 'Group A', {
      userData: 'a-data',
      recognitionModel: 'recognition_04',
    });
    assert.equal(created._response.status, 200);
    assert.equal(created._response.bodyAsText ?? '', '');
    await v5.personGroup.create('pg-b', 'Group B');

    const got = await v5.personGroup.get('pg-a');
    assert.deepEqual(JSON.parse(got._response.bodyAsText), {
      personGroupId: 'pg-a',
      name: 'Group A',
      userData: 'a-data',
    });
    assert.equal(
      (await v5.personGroup.get('pg-a', { returnRecognitionModel: true })).recognitionModel,
      'recognition_04',
    );
    assert.deepEqual(
      (await v5.personGroup.list()).map((group) => group.personGroupId),
      ['pg-a', 'pg-b'],
    );
    assert.deepEqual(
      (await v5.personGroup.list({ start: 'pg-a', top: 1 })).map((group) => group.personGroupId),
      ['pg-b'],
    );
    // Large person groups are another list.
    assert.deepEqual(
      (await v5.largePersonGroup.list()).map((group) => group.largePersonGroupId),
      [],
    );

    await v5.personGroup.update('pg-a', { name: 'Group A2' });
    assert.equal((await v5.personGroup.get('pg-a')).name, 'Group A2');
    await v5.personGroup.deleteMethod('pg-b');
    await v5Refusal(v5.personGroup.get('pg-b'), 404, 'PersonGroupNotFound');
    await v5Refusal(v5.personGroup.create('pg-a', 'again'), 409, 'PersonGroupExists');
    await v5Refusal(v5.personGroup.getTrainingStatus('pg-a'), 404, 'PersonGroupNotTrained');
    await v5Refusal(v5.personGroupPerson.list('missing'), 404, 'PersonGroupNotFound');
  });

  test('persons and faces: create, read, update, delete; stream and URL adds', async () => {
    await v5.personGroup.create('pg-people', 'People');
    const ada = await v5.personGroupPerson.create('pg-people', { name: 'Ada', userData: 'ada-data' });
    assert.match(ada.personId!, uuid);
    const fromStream = await v5.personGroupPerson.addFaceFromStream(
      'pg-people',
      ada.personId!,
      face('hans_blix_02.jpg'),
      { userData: 'badge' },
    );
    assert.match(fromStream.persistedFaceId, uuid);
    const fromUrl = await v5.personGroupPerson.addFaceFromUrl('pg-people', ada.personId!, imageUrl);
    assert.match(fromUrl.persistedFaceId, uuid);

    const person = await v5.personGroupPerson.get('pg-people', ada.personId!);
    assert.deepEqual(
      [person.name, person.userData, [...person.persistedFaceIds!].sort()],
      ['Ada', 'ada-data', [fromStream.persistedFaceId, fromUrl.persistedFaceId].sort()],
    );
    assert.deepEqual(
      (await v5.personGroupPerson.list('pg-people')).map((p) => p.personId),
      [ada.personId],
    );
    await v5.personGroupPerson.update('pg-people', ada.personId!, { name: 'Ada L.' });
    assert.equal((await v5.personGroupPerson.get('pg-people', ada.personId!)).name, 'Ada L.');

    const stored = await v5.personGroupPerson.getFace('pg-people', ada.personId!, fromStream.persistedFaceId);
    assert.equal(stored.userData, 'badge');
    await v5.personGroupPerson.updateFace('pg-people', ada.personId!, fromStream.persistedFaceId, { userData: 'new' });
    assert.equal(
      (await v5.personGroupPerson.getFace('pg-people', ada.personId!, fromStream.persistedFaceId)).userData,
      'new',
    );
    await v5.personGroupPerson.deleteFace('pg-people', ada.personId!, fromUrl.persistedFaceId);
    await v5Refusal(
      v5.personGroupPerson.getFace('pg-people', ada.personId!, fromUrl.persistedFaceId),
      404,
      'PersistedFaceNotFound',
    );
    await v5.personGroupPerson.deleteMethod('pg-people', ada.personId!);
    await v5Refusal(v5.personGroupPerson.get('pg-people', ada.personId!), 404, 'PersonNotFound');
  });
});

describe('recognition against a person group', () => {
  const enrol = ['colin_powell_02.jpg', 'colin_powell_03.jpg', 'hugo_chavez_02.jpg', 'hugo_chavez_03.jpg'];

  test('v5: train, identify and verify by personGroupId', async () => {
    await v5.personGroup.create('pg-rec', 'Recognition');
    const [probe] = await v5.face.detectWithStream(face('colin_powell_01.jpg'));
    await v5Refusal(v5.face.identify([probe!.faceId!], { personGroupId: 'pg-rec' }), 400, 'PersonGroupNotTrained');
    const powell = (await v5.personGroupPerson.create('pg-rec', { name: 'Colin Powell' })).personId!;
    const chavez = (await v5.personGroupPerson.create('pg-rec', { name: 'Hugo Chavez' })).personId!;
    for (const file of enrol) {
      await v5.personGroupPerson.addFaceFromStream('pg-rec', file.startsWith('colin') ? powell : chavez, face(file));
    }
    await v5.personGroup.train('pg-rec');
    await waitFor(
      async () => (await v5.personGroup.getTrainingStatus('pg-rec')).status === 'succeeded',
      30_000,
      'person group training',
    );
    const [identified] = await v5.face.identify([probe!.faceId!], {
      personGroupId: 'pg-rec',
      maxNumOfCandidatesReturned: 2,
    });
    assert.equal(identified!.candidates[0]!.personId, powell);
    assert.equal(
      (await v5.face.verifyFaceToPerson(probe!.faceId!, powell, { personGroupId: 'pg-rec' })).isIdentical,
      true,
    );
    assert.equal(
      (await v5.face.verifyFaceToPerson(probe!.faceId!, chavez, { personGroupId: 'pg-rec' })).isIdentical,
      false,
    );
    // The same id names no large person group.
    await v5Refusal(
      v5.face.identify([probe!.faceId!], { largePersonGroupId: 'pg-rec' }),
      404,
      'LargePersonGroupNotFound',
    );
  });

  test('REST v1.2: the /persongroups routes, training poller, identify', async () => {
    const created = await rest.path('/persongroups/{personGroupId}', 'pg-rest').put({ body: { name: 'REST' } });
    assert.equal(created.status, '200');
    const got = await rest.path('/persongroups/{personGroupId}', 'pg-rest').get();
    if (isUnexpected(got)) throw new Error(JSON.stringify(got.body));
    assert.equal(got.body.personGroupId, 'pg-rest');
    const ids: Record<string, string> = {};
    for (const name of ['colin_powell', 'hugo_chavez']) {
      const person = await rest.path('/persongroups/{personGroupId}/persons', 'pg-rest').post({ body: { name } });
      if (isUnexpected(person)) throw new Error(JSON.stringify(person.body));
      ids[name] = person.body.personId;
    }
    for (const file of enrol) {
      const personId = ids[file.startsWith('colin') ? 'colin_powell' : 'hugo_chavez']!;
      const added = await rest
        .path('/persongroups/{personGroupId}/persons/{personId}/persistedfaces', 'pg-rest', personId)
        .post({ contentType: 'application/octet-stream', body: face(file) });
      assert.equal(added.status, '200', JSON.stringify(added.body));
    }
    const train = await rest.path('/persongroups/{personGroupId}/train', 'pg-rest').post();
    assert.equal(train.status, '202');
    const final = await (await getLongRunningPoller(rest, train)).pollUntilDone();
    assert.equal((final.body as { status: string }).status, 'succeeded');

    const detected = await rest.path('/detect').post({
      contentType: 'application/octet-stream',
      queryParameters: { returnFaceId: true, recognitionModel: 'recognition_01', detectionModel: 'detection_01' },
      body: face('hugo_chavez_01.jpg'),
    });
    if (isUnexpected(detected)) throw new Error(JSON.stringify(detected.body));
    const identified = await rest.path('/identify').post({
      body: { faceIds: [detected.body[0]!.faceId!], personGroupId: 'pg-rest' },
    });
    if (isUnexpected(identified)) throw new Error(JSON.stringify(identified.body));
    assert.equal(identified.body[0]!.candidates[0]!.personId, ids.hugo_chavez);

    const missing = await rest.path('/persongroups/{personGroupId}', 'pg-none').get();
    assert.equal(missing.status, '404');
    assert.equal((missing.body as { error: { code: string } }).error.code, 'PersonGroupNotFound');
  });
});

describe('envelope dialect', () => {
  test('a person group and a large person group with one id are two groups', async () => {
    assert.equal((await api.call('PUT', '/persongroups/twin', { name: 'Small twin' })).status, 200);
    assert.equal((await api.call('PUT', '/largepersongroups/twin', { name: 'Large twin' })).status, 200);
    const small = await api.call<{ id: string; name: string }>('GET', '/persongroups/twin');
    const large = await api.call<{ id: string; name: string }>('GET', '/largepersongroups/twin');
    assert.deepEqual([small.body.data!.name, large.body.data!.name], ['Small twin', 'Large twin']);

    const person = await api.call<{ id: string }>('POST', '/persongroups/twin/persons', { name: 'Only small' });
    const personId = person.body.data!.id;
    const elsewhere = await api.call('GET', `/largepersongroups/twin/persons/${personId}`);
    assert.equal(elsewhere.status, 404);
    assert.equal(elsewhere.body.error!.code, 'PERSON_NOT_FOUND');

    assert.equal((await api.call('DELETE', '/largepersongroups/twin')).status, 200);
    const kept = await api.call<{ id: string }[]>('GET', '/persongroups/twin/persons');
    assert.deepEqual(
      kept.body.data!.map((p) => p.id),
      [personId],
    );
    const gone = await api.call('GET', '/largepersongroups/twin');
    assert.equal(gone.body.error!.code, 'GROUP_NOT_FOUND');
    const missing = await api.call('GET', '/persongroups/none');
    assert.deepEqual([missing.status, missing.body.error!.code], [404, 'PERSON_GROUP_NOT_FOUND']);
    const invalid = await api.call('PUT', '/persongroups/Not_Valid', { name: 'x' });
    assert.equal(invalid.body.error!.code, 'INVALID_GROUP_ID');
    assert.match(invalid.body.error!.message, /personGroupId/);
  });

  test('identify and verify name one group, by either field', async () => {
    const faceId = '3f0c0000-0000-4000-8000-000000000000';
    const both = await api.call('POST', '/identify', {
      faceIds: [faceId],
      personGroupId: 'a',
      largePersonGroupId: 'a',
    });
    assert.deepEqual([both.status, both.body.error!.code], [400, 'GROUP_IDS_BOTH_GIVEN']);
    const neither = await api.call('POST', '/identify', { faceIds: [faceId] });
    assert.deepEqual([neither.status, neither.body.error!.code], [400, 'GROUP_IDS_BOTH_MISSING']);
    await v5Refusal(v5.face.identify([faceId]), 400, 'PersonGroupIdAndLargePersonGroupIdBothNull');
    const unknown = await api.call('POST', '/identify', { faceIds: [faceId], personGroupId: 'nobody-here' });
    assert.deepEqual([unknown.status, unknown.body.error!.code], [404, 'PERSON_GROUP_NOT_FOUND']);
    const verify = await api.call('POST', '/verify', {
      faceId,
      personGroupId: 'nobody-here',
      personId: '3f0c0000-0000-4000-8000-000000000001',
    });
    assert.equal(verify.body.error!.code, 'PERSON_GROUP_NOT_FOUND');
  });

  test('training status and train answer in the envelope, with the operation-Location of its kind', async () => {
    await api.call('PUT', '/persongroups/env-train', { name: 'Train' });
    const never = await api.call('GET', '/persongroups/env-train/training');
    assert.deepEqual([never.status, never.body.error!.code], [404, 'PERSON_GROUP_TRAINING_NOT_FOUND']);
    const personId = (await api.call<{ id: string }>('POST', '/persongroups/env-train/persons', { name: 'P' })).body
      .data!.id;
    const added = await api.call(
      'POST',
      `/persongroups/env-train/persons/${personId}/persistedfaces`,
      face('hans_blix_03.jpg'),
    );
    assert.equal(added.status, 200, JSON.stringify(added.body));
    const train = await api.call('POST', '/persongroups/env-train/train');
    assert.equal(train.status, 202);
    assert.match(train.headers.get('operation-location')!, /\/persongroups\/env-train\/training$/);
    await waitFor(
      async () =>
        (await api.call<{ status: string }>('GET', '/persongroups/env-train/training')).body.data!.status ===
        'succeeded',
      30_000,
      'envelope training',
    );
  });

  test('a person group holds at most 10,000 persons', async () => {
    await api.call('PUT', '/persongroups/full', { name: 'Full' });
    const db = await stack.db();
    try {
      // Creating 10,000 persons one by one takes minutes; the store counts the rows of the group.
      await db.query(
        `INSERT INTO person (person_id, tenant_id, kind, group_id, name, face_count, created_at, updated_at)
         SELECT gen_random_uuid(), 'alpha', 'personGroup', 'full', 'p' || i, 0, now(), now()
         FROM generate_series(1, 10000) i`,
      );
    } finally {
      await db.end();
    }
    const refused = await api.call('POST', '/persongroups/full/persons', { name: 'One too many' });
    assert.deepEqual([refused.status, refused.body.error!.code], [403, 'PERSON_LIMIT_REACHED']);
    await v5Refusal(v5.personGroupPerson.create('full', { name: 'One too many' }), 403, 'QuotaExceeded');
    // A large person group has no such limit: the same count there takes one more.
    await api.call('PUT', '/largepersongroups/full', { name: 'Full large' });
    const db2 = await stack.db();
    try {
      await db2.query(
        `INSERT INTO person (person_id, tenant_id, kind, group_id, name, face_count, created_at, updated_at)
         SELECT gen_random_uuid(), 'alpha', 'largePersonGroup', 'full', 'p' || i, 0, now(), now()
         FROM generate_series(1, 10000) i`,
      );
    } finally {
      await db2.end();
    }
    assert.equal((await api.call('POST', '/largepersongroups/full/persons', { name: 'Fine' })).status, 200);
  });

  test("a tenant neither sees nor touches another tenant's person group", async () => {
    await api.call('PUT', '/persongroups/private', { name: 'Alpha only' });
    const personId = (await api.call<{ id: string }>('POST', '/persongroups/private/persons', { name: 'A' })).body.data!
      .id;
    for (const [method, route, body] of [
      ['GET', '/persongroups/private', undefined],
      ['PATCH', '/persongroups/private', { name: 'Taken' }],
      ['DELETE', '/persongroups/private', undefined],
      ['GET', `/persongroups/private/persons/${personId}`, undefined],
      ['POST', '/persongroups/private/train', undefined],
    ] as const) {
      const answer = await beta.call(method, route, body);
      assert.equal(answer.status, 404, `${method} ${route}`);
      assert.equal(answer.body.error!.code, 'PERSON_GROUP_NOT_FOUND', `${method} ${route}`);
    }
    const listed = await beta.call<unknown[]>('GET', '/persongroups');
    assert.deepEqual(listed.body.data, []);
    assert.equal((await api.call<{ name: string }>('GET', '/persongroups/private')).body.data!.name, 'Alpha only');
  });
});
