/**
 * FaceList and LargeFaceList through the v5 client (`client.faceList`, `client.largeFaceList`), the v1.2 REST
 * client and the envelope dialect, and FindSimilar against both: the list's own faces, Azure's limits, training
 * of large face lists, errors of the family, tenants kept apart.
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

async function detect(file: string): Promise<string> {
  const [found] = await v5.face.detectWithStream(face(file));
  return found!.faceId!;
}

describe('v5 FaceClient: faceList', () => {
  test('create, get with its faces, list, update, add from stream and URL, delete a face, delete', async () => {
    const created = await v5.faceList.create('fl-a', 'List A', { userData: 'a-data' });
    assert.equal(created._response.status, 200);
    assert.equal(created._response.bodyAsText ?? '', '');
    const fromStream = await v5.faceList.addFaceFromStream('fl-a', face('colin_powell_02.jpg'), { userData: 'cp' });
    assert.match(fromStream.persistedFaceId, uuid);
    const fromUrl = await v5.faceList.addFaceFromUrl('fl-a', imageUrl);
    const got = await v5.faceList.get('fl-a');
    assert.deepEqual([got.faceListId, got.name, got.userData], ['fl-a', 'List A', 'a-data']);
    assert.deepEqual(
      got.persistedFaces!.map((f) => f.persistedFaceId).sort(),
      [fromStream.persistedFaceId, fromUrl.persistedFaceId].sort(),
    );
    assert.equal(got.persistedFaces!.find((f) => f.persistedFaceId === fromStream.persistedFaceId)!.userData, 'cp');
    assert.equal((await v5.faceList.get('fl-a', { returnRecognitionModel: true })).recognitionModel, 'recognition_01');

    await v5.faceList.create('fl-b', 'List B');
    const all = await v5.faceList.list();
    assert.deepEqual(
      all.map((list) => list.faceListId),
      ['fl-a', 'fl-b'],
    );
    assert.equal('persistedFaces' in JSON.parse(all._response.bodyAsText)[0], false);
    await v5.faceList.update('fl-a', { name: 'List A2' });
    assert.equal((await v5.faceList.get('fl-a')).name, 'List A2');

    await v5.faceList.deleteFace('fl-a', fromUrl.persistedFaceId);
    assert.deepEqual(
      (await v5.faceList.get('fl-a')).persistedFaces!.map((f) => f.persistedFaceId),
      [fromStream.persistedFaceId],
    );
    await v5Refusal(v5.faceList.deleteFace('fl-a', fromUrl.persistedFaceId), 404, 'PersistedFaceNotFound');
    await v5.faceList.deleteMethod('fl-b');
    await v5Refusal(v5.faceList.get('fl-b'), 404, 'FaceListNotFound');
    await v5Refusal(v5.faceList.create('fl-a', 'again'), 409, 'FaceListExists');
  });

  test('findSimilar against a face list: the same person only in matchPerson, a ranking in matchFace', async () => {
    await v5.faceList.create('fl-people', 'People');
    const powell = await v5.faceList.addFaceFromStream('fl-people', face('colin_powell_03.jpg'));
    await v5.faceList.addFaceFromStream('fl-people', face('hugo_chavez_02.jpg'));
    await v5.faceList.addFaceFromStream('fl-people', face('nancy_pelosi_02.jpg'));
    const query = await detect('colin_powell_01.jpg');

    const same = await v5.face.findSimilar(query, { faceListId: 'fl-people' });
    assert.deepEqual(
      same.map((found) => found.persistedFaceId),
      [powell.persistedFaceId],
    );
    const ranked = await v5.face.findSimilar(query, {
      faceListId: 'fl-people',
      mode: 'matchFace',
      maxNumOfCandidatesReturned: 2,
    });
    assert.equal(ranked.length, 2);
    assert.equal(ranked[0]!.persistedFaceId, powell.persistedFaceId);
    assert.ok(ranked[0]!.confidence >= ranked[1]!.confidence);

    // A stranger to the list finds nobody in matchPerson.
    const stranger = await detect('hans_blix_02.jpg');
    assert.deepEqual(await v5.face.findSimilar(stranger, { faceListId: 'fl-people' }), []);
    await v5Refusal(v5.face.findSimilar(query, { faceListId: 'fl-none' }), 404, 'FaceListNotFound');
  });
});

describe('v5 FaceClient: largeFaceList', () => {
  test('CRUD, faces with paging, training, and findSimilar seeing only what the last training held', async () => {
    await v5.largeFaceList.create('lfl', 'Large', { userData: 'l-data' });
    const got = await v5.largeFaceList.get('lfl');
    assert.deepEqual(JSON.parse(got._response.bodyAsText), {
      largeFaceListId: 'lfl',
      name: 'Large',
      userData: 'l-data',
    });
    assert.deepEqual(
      (await v5.largeFaceList.list()).map((list) => list.largeFaceListId),
      ['lfl'],
    );
    await v5.largeFaceList.update('lfl', { userData: 'l2' });
    assert.equal((await v5.largeFaceList.get('lfl')).userData, 'l2');

    const added: Record<string, string> = {};
    for (const file of ['colin_powell_02.jpg', 'hugo_chavez_03.jpg', 'nancy_pelosi_03.jpg']) {
      added[file] = (await v5.largeFaceList.addFaceFromStream('lfl', face(file), { userData: file })).persistedFaceId;
    }
    const sorted = Object.values(added).sort();
    const firstPage = await v5.largeFaceList.listFaces('lfl', { top: 2 });
    assert.deepEqual(
      firstPage.map((f) => f.persistedFaceId),
      sorted.slice(0, 2),
    );
    const secondPage = await v5.largeFaceList.listFaces('lfl', { start: sorted[1], top: 2 });
    assert.deepEqual(
      secondPage.map((f) => f.persistedFaceId),
      sorted.slice(2),
    );
    const one = await v5.largeFaceList.getFace('lfl', added['hugo_chavez_03.jpg']!);
    assert.equal(one.userData, 'hugo_chavez_03.jpg');
    await v5.largeFaceList.updateFace('lfl', added['hugo_chavez_03.jpg']!, { userData: 'chavez' });
    assert.equal((await v5.largeFaceList.getFace('lfl', added['hugo_chavez_03.jpg']!)).userData, 'chavez');

    const query = await detect('hugo_chavez_01.jpg');
    await v5Refusal(v5.face.findSimilar(query, { largeFaceListId: 'lfl' }), 400, 'LargeFaceListNotTrained');
    await v5Refusal(v5.largeFaceList.getTrainingStatus('lfl'), 404, 'LargeFaceListNotTrained');
    await v5.largeFaceList.train('lfl');
    await waitFor(
      async () => (await v5.largeFaceList.getTrainingStatus('lfl')).status === 'succeeded',
      30_000,
      'large face list training',
    );
    const found = await v5.face.findSimilar(query, { largeFaceListId: 'lfl' });
    assert.deepEqual(
      found.map((f) => f.persistedFaceId),
      [added['hugo_chavez_03.jpg']],
    );

    // A face added after the training is found after the next one; a deleted face is gone at once.
    const later = await v5.largeFaceList.addFaceFromStream('lfl', face('hugo_chavez_04.jpg'));
    assert.equal((await v5.face.findSimilar(query, { largeFaceListId: 'lfl' })).length, 1);
    await v5.largeFaceList.deleteFace('lfl', added['hugo_chavez_03.jpg']!);
    assert.deepEqual(await v5.face.findSimilar(query, { largeFaceListId: 'lfl' }), []);
    await v5.largeFaceList.train('lfl');
    await waitFor(
      async () => (await v5.largeFaceList.getTrainingStatus('lfl')).status === 'succeeded',
      30_000,
      'second training',
    );
    // Ranked whatever the confidence: this pair of photos need not reach matchPerson's open-set threshold.
    const retrained = await v5.face.findSimilar(query, { largeFaceListId: 'lfl', mode: 'matchFace' });
    assert.equal(retrained[0]!.persistedFaceId, later.persistedFaceId);
    assert.equal(retrained.length, 3, 'the two others, one deleted');
    await v5.largeFaceList.deleteMethod('lfl');
    await v5Refusal(v5.largeFaceList.get('lfl'), 404, 'LargeFaceListNotFound');
  });
});

describe('REST client v1.2', () => {
  test('/facelists and /largefacelists routes, the training poller and /findsimilars', async () => {
    assert.equal(
      (await rest.path('/facelists/{faceListId}', 'rest-fl').put({ body: { name: 'REST list' } })).status,
      '200',
    );
    const added = await rest
      .path('/facelists/{faceListId}/persistedfaces', 'rest-fl')
      .post({ contentType: 'application/octet-stream', body: face('julianne_moore_02.jpg') });
    if (isUnexpected(added)) throw new Error(JSON.stringify(added.body));
    const list = await rest.path('/facelists/{faceListId}', 'rest-fl').get();
    if (isUnexpected(list)) throw new Error(JSON.stringify(list.body));
    assert.deepEqual(
      list.body.persistedFaces!.map((f) => f.persistedFaceId),
      [added.body.persistedFaceId],
    );

    await rest.path('/largefacelists/{largeFaceListId}', 'rest-lfl').put({ body: { name: 'REST large' } });
    const largeAdded = await rest
      .path('/largefacelists/{largeFaceListId}/persistedfaces', 'rest-lfl')
      .post({ contentType: 'application/octet-stream', body: face('julianne_moore_03.jpg') });
    if (isUnexpected(largeAdded)) throw new Error(JSON.stringify(largeAdded.body));
    const train = await rest.path('/largefacelists/{largeFaceListId}/train', 'rest-lfl').post();
    assert.equal(train.status, '202');
    const final = await (await getLongRunningPoller(rest, train)).pollUntilDone();
    assert.equal((final.body as { status: string }).status, 'succeeded');

    const detected = await rest.path('/detect').post({
      contentType: 'application/octet-stream',
      queryParameters: { returnFaceId: true, recognitionModel: 'recognition_01', detectionModel: 'detection_01' },
      body: face('julianne_moore_01.jpg'),
    });
    if (isUnexpected(detected)) throw new Error(JSON.stringify(detected.body));
    const faceId = detected.body[0]!.faceId!;
    const fromList = await rest.path('/findsimilars').post({ body: { faceId, faceListId: 'rest-fl' } });
    if (isUnexpected(fromList)) throw new Error(JSON.stringify(fromList.body));
    assert.deepEqual(
      fromList.body.map((f) => f.persistedFaceId),
      [added.body.persistedFaceId],
    );
    const fromLarge = await rest.path('/findsimilars').post({ body: { faceId, largeFaceListId: 'rest-lfl' } });
    if (isUnexpected(fromLarge)) throw new Error(JSON.stringify(fromLarge.body));
    assert.deepEqual(
      fromLarge.body.map((f) => f.persistedFaceId),
      [largeAdded.body.persistedFaceId],
    );
  });
});

describe('envelope dialect', () => {
  test('a face list holds at most 1,000 faces; its count follows adds and deletes', async () => {
    await api.call('PUT', '/facelists/full', { name: 'Full' });
    const first = await api.call<{ id: string }>('POST', '/facelists/full/persistedfaces', face('kate_hudson_02.jpg'));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const db = await stack.db();
    try {
      // Adding 999 more real photos takes many minutes: the store reads the count from the list's row.
      await db.query(
        `INSERT INTO persisted_face (persisted_face_id, person_id, tenant_id, kind, group_id, detection_model,
           recognition_model, face_rectangle, embedding, request_id, created_at)
         SELECT gen_random_uuid(), NULL, 'alpha', 'faceList', 'full', 'detection_01', 'recognition_01',
           '{"left":0,"top":0,"width":100,"height":100}', decode(repeat('0000803f', 128), 'hex'), 'seed-' || i, now()
         FROM generate_series(1, 999) i`,
      );
      await db.query(
        `UPDATE collection SET face_count = face_count + 999 WHERE kind = 'faceList' AND group_id = 'full'`,
      );
    } finally {
      await db.end();
    }
    const refused = await api.call('POST', '/facelists/full/persistedfaces', face('kate_hudson_03.jpg'));
    assert.deepEqual([refused.status, refused.body.error!.code], [403, 'LIST_FACE_LIMIT_REACHED']);
    await v5Refusal(v5.faceList.addFaceFromStream('full', face('kate_hudson_03.jpg')), 403, 'QuotaExceeded');

    const deleted = await api.call('DELETE', `/facelists/full/persistedfaces/${first.body.data!.id}`);
    assert.equal(deleted.status, 200);
    const again = await api.call('POST', '/facelists/full/persistedfaces', face('kate_hudson_03.jpg'));
    assert.equal(again.status, 200, 'one deleted, one place free');
  });

  test('list faces answer in the envelope; kinds keep their own ids; errors of the family', async () => {
    assert.equal((await api.call('PUT', '/largefacelists/shared-id', { name: 'Large' })).status, 200);
    assert.equal((await api.call('PUT', '/facelists/shared-id', { name: 'Small' })).status, 200);
    const added = await api.call<{ id: string }>(
      'POST',
      '/largefacelists/shared-id/persistedfaces?userData=badge',
      face('muhammad_ali_02.jpg'),
    );
    assert.equal(added.status, 200, JSON.stringify(added.body));
    const faceId = added.body.data!.id;
    const got = await api.call<Record<string, unknown>>('GET', `/largefacelists/shared-id/persistedfaces/${faceId}`);
    assert.deepEqual(Object.keys(got.body.data!).sort(), [
      'created_at',
      'detection_model',
      'face_rectangle',
      'id',
      'recognition_model',
      'user_data',
    ]);
    assert.equal(got.body.data!.user_data, 'badge');
    const elsewhere = await api.call('GET', `/facelists/shared-id/persistedfaces/${faceId}`);
    assert.deepEqual([elsewhere.status, elsewhere.body.error!.code], [404, 'PERSISTED_FACE_NOT_FOUND']);
    const small = await api.call<{ persisted_faces: unknown[] }>('GET', '/facelists/shared-id');
    assert.deepEqual(small.body.data!.persisted_faces, []);

    const never = await api.call('GET', '/largefacelists/shared-id/training');
    assert.deepEqual([never.status, never.body.error!.code], [404, 'LARGE_FACE_LIST_TRAINING_NOT_FOUND']);
    const noTrain = await api.call('POST', '/facelists/shared-id/train');
    assert.equal(noTrain.status, 404, 'face lists are not trained');
    const query = await api.call<{ face_id: string }[]>('POST', '/detect', face('muhammad_ali_01.jpg'));
    const queryId = query.body.data![0]!.face_id;
    const empty = await api.call('POST', '/findsimilars', { faceId: queryId, faceListId: 'shared-id' });
    assert.deepEqual([empty.status, empty.body.error!.code], [400, 'FACE_LIST_EMPTY']);
    const both = await api.call('POST', '/findsimilars', {
      faceId: queryId,
      faceListId: 'shared-id',
      largeFaceListId: 'shared-id',
    });
    assert.equal(both.status, 400);

    // The list's recognition model is the query's to match.
    await api.call('PUT', '/facelists/model-04', { name: 'Model 04', recognitionModel: 'recognition_04' });
    await api.call('POST', '/facelists/model-04/persistedfaces', face('muhammad_ali_03.jpg'));
    const mismatch = await api.call('POST', '/findsimilars', { faceId: queryId, faceListId: 'model-04' });
    assert.equal(mismatch.body.error!.code, 'RECOGNITION_MODEL_MISMATCH');
    assert.match(mismatch.body.error!.message, /recognition_01.*recognition_04/);

    const missing = await api.call('GET', '/facelists/none');
    assert.deepEqual([missing.status, missing.body.error!.code], [404, 'FACE_LIST_NOT_FOUND']);
    const exists = await api.call('PUT', '/largefacelists/shared-id', { name: 'Again' });
    assert.deepEqual([exists.status, exists.body.error!.code], [409, 'LARGE_FACE_LIST_EXISTS']);
  });

  test("a tenant neither sees nor touches nor searches another tenant's lists", async () => {
    await api.call('PUT', '/facelists/private', { name: 'Alpha only' });
    const added = await api.call<{ id: string }>(
      'POST',
      '/facelists/private/persistedfaces',
      face('jiang_zemin_02.jpg'),
    );
    const faceId = added.body.data!.id;
    for (const [method, route, body] of [
      ['GET', '/facelists/private', undefined],
      ['PATCH', '/facelists/private', { name: 'Taken' }],
      ['DELETE', '/facelists/private', undefined],
      ['GET', `/facelists/private/persistedfaces/${faceId}`, undefined],
      ['DELETE', `/facelists/private/persistedfaces/${faceId}`, undefined],
    ] as const) {
      const answer = await beta.call(method, route, body);
      assert.equal(answer.status, 404, `${method} ${route}`);
      assert.equal(answer.body.error!.code, 'FACE_LIST_NOT_FOUND', `${method} ${route}`);
    }
    const refused = await beta.call('POST', '/facelists/private/persistedfaces', face('jiang_zemin_03.jpg'));
    assert.equal(refused.body.error!.code, 'FACE_LIST_NOT_FOUND');
    const betaQuery = await beta.call<{ face_id: string }[]>('POST', '/detect', face('jiang_zemin_01.jpg'));
    const search = await beta.call('POST', '/findsimilars', {
      faceId: betaQuery.body.data![0]!.face_id,
      faceListId: 'private',
    });
    assert.equal(search.body.error!.code, 'FACE_LIST_NOT_FOUND');
    assert.deepEqual((await beta.call<unknown[]>('GET', '/facelists')).body.data, []);
    const kept = await api.call<{ persisted_faces: { id: string }[] }>('GET', '/facelists/private');
    assert.deepEqual(
      kept.body.data!.persisted_faces.map((f) => f.id),
      [faceId],
    );
  });
});
