/**
 * FacesRepository on its own: what each add-face statement answers and writes, deleting and uncounting in one
 * statement, the faces a training reads by entry, and which ranked faces still exist.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AddFaceReply, AddFaceRequest, AddListFaceRequest, GroupRef } from '#contracts';
import { FacesRepository } from '../src/faces/faces.repository';
import { newFaceReply } from '../src/faces/face-write';
import { model, refOf, StoreHarness, syntheticEmbedding, write } from './support/store-harness';

let store: StoreHarness;
let faces: FacesRepository;

before(async () => {
  store = await StoreHarness.open();
  faces = new FacesRepository(store.dataSource.manager);
});

after(async () => {
  await store?.close();
});

const fields = {
  detectionModel: 'detection_01',
  recognitionModel: model,
  faceRectangle: { left: 1, top: 2, width: 100, height: 120 },
} as const;

function personFace(ref: GroupRef, personId: string): [AddFaceRequest, AddFaceReply] {
  const request = { ...ref, ...write(), personId, ...fields, embedding: syntheticEmbedding() };
  return [request, newFaceReply(request)];
}

function listFace(ref: GroupRef): [AddListFaceRequest, AddFaceReply] {
  const request = { ...ref, ...write(), ...fields, embedding: syntheticEmbedding() };
  return [request, newFaceReply(request)];
}

async function appliedWrites(requestId: string): Promise<number> {
  const [row] = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM applied_write WHERE request_id = $1`, [
    requestId,
  ]);
  return row!.n;
}

test('adding a person’s face answers the count before it, stores the face and records the reply', async () => {
  const ref = refOf('alpha', 'personGroup', 'adds');
  await store.createCollection(ref);
  const personId = await store.createPerson(ref);
  const [request, reply] = personFace(ref, personId);

  const outcome = await faces.addToPerson(request, reply, 248);

  assert.deepEqual(outcome, { prior_fingerprint: null, prior_reply: null, face_count: 0, added: true });
  const stored = await faces.findOfPerson({ ...ref, personId, persistedFaceId: reply.persistedFaceId });
  assert.equal(stored?.requestId, request.requestId);
  const [recorded] = await store.query<{ reply: AddFaceReply }>(
    `SELECT reply FROM applied_write WHERE request_id = $1`,
    [request.requestId],
  );
  assert.deepEqual(recorded!.reply, reply);
});

test('the same request again answers the first reply and writes nothing', async () => {
  const ref = refOf('alpha', 'largePersonGroup', 'replays');
  await store.createCollection(ref);
  const personId = await store.createPerson(ref);
  const [request, reply] = personFace(ref, personId);
  await faces.addToPerson(request, reply, 248);

  const again = await faces.addToPerson(request, newFaceReply(request), 248);

  assert.equal(again.prior_fingerprint, request.fingerprint);
  assert.deepEqual(again.prior_reply, reply);
  assert.equal(again.added, false);
  assert.equal(await store.countOf('persisted_face', ref), 1);
});

test('a person missing from the group, or another tenant’s, gets a null count and nothing is written', async () => {
  const ref = refOf('alpha', 'personGroup', 'owners');
  await store.createCollection(ref);
  const personId = await store.createPerson(ref);
  for (const [owner, person] of [
    [ref, '00000000-0000-4000-8000-000000000000'],
    [refOf('beta', 'personGroup', 'owners'), personId],
  ] as const) {
    const [request, reply] = personFace(owner, person);
    const outcome = await faces.addToPerson(request, reply, 248);
    assert.equal(outcome.face_count, null);
    assert.equal(outcome.added, false);
    assert.equal(await appliedWrites(request.requestId), 0, 'a refused write leaves no result to replay');
  }
  assert.equal(await store.countOf('persisted_face', ref), 0);
});

test('an owner at the limit is answered with its count and added = false; nothing is recorded', async () => {
  const ref = refOf('alpha', 'faceList', 'full');
  await store.createCollection(ref);
  for (let i = 0; i < 2; i++) {
    const [request, reply] = listFace(ref);
    assert.equal((await faces.addToList(request, reply, 2)).added, true);
  }
  const [request, reply] = listFace(ref);

  const outcome = await faces.addToList(request, reply, 2);

  assert.deepEqual({ count: outcome.face_count, added: outcome.added }, { count: 2, added: false });
  assert.equal(await appliedWrites(request.requestId), 0);
  assert.equal(await store.countOf('persisted_face', ref), 2);
});

test('deleting a face takes it off its owner’s count once; a second delete finds nothing', async () => {
  const list = refOf('alpha', 'largeFaceList', 'deletes');
  await store.createCollection(list);
  const listFaceId = await store.addFace(list, syntheticEmbedding());
  const group = refOf('alpha', 'personGroup', 'deletes');
  await store.createCollection(group);
  const personId = await store.createPerson(group);
  const personFaceId = await store.addFace(group, syntheticEmbedding(), personId);

  assert.equal(await faces.deleteOfList({ ...list, persistedFaceId: listFaceId }), true);
  assert.equal(await faces.deleteOfList({ ...list, persistedFaceId: listFaceId }), false);
  assert.equal(await faces.deleteOfPerson({ ...group, personId, persistedFaceId: personFaceId }), true);
  assert.equal(await faces.deleteOfPerson({ ...group, personId, persistedFaceId: personFaceId }), false);

  const [counts] = await store.query<{ list: number; person: number }>(
    `SELECT (SELECT face_count FROM collection WHERE group_id = 'deletes' AND kind = 'largeFaceList') AS list,
            (SELECT face_count FROM person WHERE person_id = $1) AS person`,
    [personId],
  );
  assert.deepEqual({ ...counts }, { list: 0, person: 0 });
});

test('a list’s face is not deleted through another list of the same id in another kind', async () => {
  const list = refOf('alpha', 'faceList', 'twin');
  const twin = refOf('alpha', 'largeFaceList', 'twin');
  await store.createCollection(list);
  await store.createCollection(twin);
  const persistedFaceId = await store.addFace(list, syntheticEmbedding());

  assert.equal(await faces.deleteOfList({ ...twin, persistedFaceId }), false);
  assert.equal(await store.countOf('persisted_face', list), 1);
});

test('a training reads a person’s faces together and each list face as its own entry, in batches', async () => {
  const group = refOf('alpha', 'largePersonGroup', 'entries');
  await store.createCollection(group);
  const personIds = [await store.createPerson(group), await store.createPerson(group)];
  for (const personId of personIds) {
    for (let i = 0; i < 3; i++) await store.addFace(group, syntheticEmbedding(), personId);
  }
  const list = refOf('alpha', 'largeFaceList', 'entries');
  await store.createCollection(list);
  const listFaceIds = [
    await store.addFace(list, syntheticEmbedding()),
    await store.addFace(list, syntheticEmbedding()),
  ];

  const batches = [];
  for await (const batch of faces.byEntry(group, 4)) batches.push(batch);
  const listEntries = [];
  for await (const batch of faces.byEntry(list, 4)) listEntries.push(...batch.map((face) => face.entryId));

  assert.deepEqual(
    batches.map((batch) => batch.length),
    [4, 2],
  );
  const entries = batches.flat().map((face) => face.entryId);
  assert.deepEqual(entries, [...personIds.sort().flatMap((id) => [id, id, id])]);
  assert.ok(batches.flat().every((face) => face.embedding.length === syntheticEmbedding().length));
  assert.deepEqual(listEntries, listFaceIds.sort());
});

test('stopping a read by entry early ends its transaction and frees its connection', async () => {
  const list = refOf('alpha', 'largeFaceList', 'early');
  await store.createCollection(list);
  for (let i = 0; i < 3; i++) await store.addFace(list, syntheticEmbedding());

  for await (const batch of faces.byEntry(list, 1)) {
    assert.equal(batch.length, 1);
    break;
  }

  const [open] = await store.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND state = 'idle in transaction'`,
  );
  assert.equal(open!.n, 0, 'no transaction left open by the cursor');
});

test('which ranked faces still exist: only those of the collection asked about', async () => {
  const list = refOf('alpha', 'largeFaceList', 'exists');
  const other = refOf('alpha', 'largeFaceList', 'elsewhere');
  await store.createCollection(list);
  await store.createCollection(other);
  const mine = await store.addFace(list, syntheticEmbedding());
  const theirs = await store.addFace(other, syntheticEmbedding());
  const gone = await store.addFace(list, syntheticEmbedding());
  await faces.deleteOfList({ ...list, persistedFaceId: gone });

  assert.deepEqual([...(await faces.existingIn(list, [mine, theirs, gone]))], [mine]);
  assert.deepEqual([...(await faces.existingIn(list, []))], []);
});
