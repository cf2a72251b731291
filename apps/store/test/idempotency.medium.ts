/**
 * Every write carries a request id: the same id again answers the first reply and writes nothing more; the same
 * id with another request is refused; a write that failed leaves nothing behind, so its retry is a new attempt.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AddFaceRequest, AddListFaceRequest } from '#contracts';
import { model, refOf, StoreHarness, syntheticEmbedding, write } from './support/store-harness';

let store: StoreHarness;

before(async () => {
  store = await StoreHarness.open();
});

after(async () => {
  await store?.close();
});

const faceFields = {
  detectionModel: 'detection_01',
  recognitionModel: model,
  faceRectangle: { left: 1, top: 2, width: 100, height: 120 },
} as const;

async function appliedWrites(requestId: string): Promise<number> {
  const [row] = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM applied_write WHERE request_id = $1`, [
    requestId,
  ]);
  return row!.n;
}

test('creating a collection again with the same request id replays the first reply', async () => {
  const request = { ...refOf('alpha', 'personGroup', 'replayed'), ...write(), name: 'first', recognitionModel: model };
  const first = await store.groups.create(request);

  const again = await store.groups.create(request);

  assert.deepEqual(again, first);
  assert.equal(await appliedWrites(request.requestId), 1);
});

test('the same request id with another request is refused with IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
  const key = write();
  const ref = refOf('alpha', 'faceList', 'keyed');
  await store.groups.create({ ...ref, ...key, name: 'first', recognitionModel: model });

  await assert.rejects(
    store.groups.create({
      ...refOf('alpha', 'faceList', 'other'),
      ...key,
      fingerprint: 'another request',
      name: 'second',
      recognitionModel: model,
    }),
    { key: 'IDEMPOTENCY_KEY_REUSED' },
  );
  await assert.rejects(store.groups.get(refOf('alpha', 'faceList', 'other')), { key: 'FACE_LIST_NOT_FOUND' });
});

test('creating a person again with the same request id gives the same person, once', async () => {
  const ref = refOf('alpha', 'largePersonGroup', 'persons');
  await store.createCollection(ref);
  const request = { ...ref, ...write(), name: 'Ada' };

  const first = await store.persons.create(request);
  const again = await store.persons.create(request);

  assert.equal(again.personId, first.personId);
  assert.equal(await store.countOf('person', ref), 1);
});

test('adding a person’s face again with the same request id gives the same face and counts it once', async () => {
  const ref = refOf('alpha', 'personGroup', 'faces');
  await store.createCollection(ref);
  const personId = await store.createPerson(ref);
  const request: AddFaceRequest = { ...ref, ...write(), personId, ...faceFields, embedding: syntheticEmbedding() };

  const first = await store.faces.add(request);
  const again = await store.faces.add({ ...request, embedding: syntheticEmbedding() });

  assert.deepEqual(again, first);
  assert.equal(await store.countOf('persisted_face', ref), 1);
  assert.deepEqual((await store.persons.get({ ...ref, personId })).persistedFaceIds, [first.persistedFaceId]);
});

test('adding a person’s face under a used request id with another request writes nothing', async () => {
  const ref = refOf('alpha', 'personGroup', 'faces-reused');
  await store.createCollection(ref);
  const personId = await store.createPerson(ref);
  const key = write();
  await store.persons.update({ ...ref, ...key, personId, name: 'renamed' });

  await assert.rejects(
    store.faces.add({
      ...ref,
      ...key,
      fingerprint: 'a face',
      personId,
      ...faceFields,
      embedding: syntheticEmbedding(),
    }),
    { key: 'IDEMPOTENCY_KEY_REUSED' },
  );
  assert.equal(await store.countOf('persisted_face', ref), 0);
});

test('adding a list face again with the same request id gives the same face and counts it once', async () => {
  const ref = refOf('alpha', 'largeFaceList', 'faces');
  await store.createCollection(ref);
  const request: AddListFaceRequest = { ...ref, ...write(), ...faceFields, embedding: syntheticEmbedding() };

  const first = await store.listFaces.add(request);
  const again = await store.listFaces.add(request);

  assert.deepEqual(again, first);
  assert.equal(await store.countOf('persisted_face', ref), 1);
  const [row] = await store.query<{ face_count: number }>(
    `SELECT face_count FROM collection WHERE tenant_id = $1 AND kind = $2 AND group_id = $3`,
    [ref.tenantId, ref.kind, ref.groupId],
  );
  assert.equal(row!.face_count, 1);
});

test('adding a list face under a used request id with another request writes nothing', async () => {
  const ref = refOf('alpha', 'faceList', 'faces-reused');
  await store.createCollection(ref);
  const key = write();
  await store.addFace(ref, syntheticEmbedding());
  await store.groups.update({ ...ref, ...key, name: 'renamed' });

  await assert.rejects(
    store.listFaces.add({ ...ref, ...key, fingerprint: 'a face', ...faceFields, embedding: syntheticEmbedding() }),
    { key: 'IDEMPOTENCY_KEY_REUSED' },
  );
  assert.equal(await store.countOf('persisted_face', ref), 1);
});

test('deleting a face again with the same request id answers deleted and counts the delete once', async () => {
  const ref = refOf('alpha', 'faceList', 'deleted-twice');
  await store.createCollection(ref);
  const kept = await store.addFace(ref, syntheticEmbedding());
  const request = { ...ref, ...write(), persistedFaceId: await store.addFace(ref, syntheticEmbedding()) };

  await store.listFaces.delete(request);
  assert.deepEqual(await store.listFaces.delete(request), { deleted: true });

  const faces = await store.listFaces.list({ ...ref, top: 1000 });
  assert.deepEqual(
    faces.map((face) => face.persistedFaceId),
    [kept],
  );
  const [row] = await store.query<{ face_count: number }>(
    `SELECT face_count FROM collection WHERE tenant_id = $1 AND kind = $2 AND group_id = $3`,
    [ref.tenantId, ref.kind, ref.groupId],
  );
  assert.equal(row!.face_count, 1);
});

test('a write that failed is not remembered: its retry under the same request id is tried again', async () => {
  const ref = refOf('alpha', 'largePersonGroup', 'retried');
  const request = { ...ref, ...write(), name: 'Bob' };
  await assert.rejects(store.persons.create(request), { key: 'GROUP_NOT_FOUND' });
  assert.equal(await appliedWrites(request.requestId), 0);
  await store.createCollection(ref);

  const person = await store.persons.create(request);

  assert.equal(person.name, 'Bob');
  assert.equal(await store.countOf('person', ref), 1);
});

test('starting a training again with the same request id replays the first reply and trains once', async () => {
  const ref = refOf('alpha', 'largePersonGroup', 'trained-once');
  await store.createCollection(ref);
  await store.addFace(ref, syntheticEmbedding(), await store.createPerson(ref));
  const request = { ...ref, ...write() };
  const first = await store.training.start(request);
  await store.trained(ref);

  const again = await store.training.start(request);

  assert.deepEqual(again, first);
  const [training] = await store.query<{ status: string; snapshot_version: number; building_version: number }>(
    `SELECT status, snapshot_version, building_version FROM training WHERE tenant_id = $1 AND kind = $2 AND group_id = $3`,
    [ref.tenantId, ref.kind, ref.groupId],
  );
  assert.deepEqual(training, { status: 'succeeded', snapshot_version: 1, building_version: 1 });
});
