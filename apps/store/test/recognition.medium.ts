/**
 * Training and the searches that read it: identify against person groups and large person groups, FindSimilar
 * against trained large face lists and untrained face lists; the errors of a kind not trained yet or training
 * now; what changed since the training; tenants kept apart. Query faces are saved as Detect saves them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Collections, type FaceListKind, type FindSimilarMode, type GroupRef, type PersonGroupKind } from '#contracts';
import { near, refOf, StoreHarness, syntheticEmbedding, write } from './support/store-harness';

let store: StoreHarness;

before(async () => {
  store = await StoreHarness.open();
});

after(async () => {
  await store?.close();
});

const trainingErrors = (kind: PersonGroupKind | 'largeFaceList') => Collections[kind].training!;

/** A group of five persons with two photos each; answers the persons and the face each photo was taken of. */
async function enrolledGroup(ref: GroupRef): Promise<{ personId: string; face: Float32Array }[]> {
  await store.createCollection(ref);
  const persons = [];
  for (let i = 0; i < 5; i++) {
    const face = syntheticEmbedding();
    const personId = await store.createPerson(ref);
    await store.addFace(ref, near(face), personId);
    await store.addFace(ref, near(face), personId);
    persons.push({ personId, face });
  }
  return persons;
}

/** A list of five faces; answers each face's persistedFaceId and vector. */
async function filledList(ref: GroupRef): Promise<{ persistedFaceId: string; face: Float32Array }[]> {
  await store.createCollection(ref);
  const faces = [];
  for (let i = 0; i < 5; i++) {
    const face = syntheticEmbedding();
    faces.push({ persistedFaceId: await store.addFace(ref, face), face });
  }
  return faces;
}

async function identify(ref: GroupRef, face: Float32Array) {
  const faceId = await store.detect(ref.tenantId, face);
  const [result] = await store.recognition.identify({ ...ref, faceIds: [faceId], maxNumOfCandidatesReturned: 5 });
  assert.equal(result!.faceId, faceId);
  return result!.candidates;
}

async function findSimilar(
  ref: GroupRef & { kind: FaceListKind },
  face: Float32Array,
  mode: FindSimilarMode = 'matchFace',
) {
  const faceId = await store.detect(ref.tenantId, face);
  const similar = await store.recognition.findSimilar({
    tenantId: ref.tenantId,
    faceId,
    target: { kind: ref.kind, groupId: ref.groupId },
    maxNumOfCandidatesReturned: 3,
    mode,
  });
  return similar.map((candidate) => ('persistedFaceId' in candidate ? candidate.persistedFaceId : candidate.faceId));
}

/** A collection of the kind with faces in it. */
async function filled(ref: GroupRef): Promise<void> {
  if (Collections[ref.kind].holds === 'persons') await enrolledGroup(ref);
  else await filledList(ref);
}

/** A training another store process is running now, as the training row says while it runs. */
async function trainingElsewhere(ref: GroupRef): Promise<void> {
  await store.query(
    `INSERT INTO training (tenant_id, kind, group_id, status, message, last_action_at, last_success_at,
                           snapshot_version, snapshot_id, building_version, lease_until, lease_token)
     VALUES ($1, $2, $3, 'running', NULL, now(), NULL, 0, NULL, 1, now() + interval '1 hour', gen_random_uuid())
     ON CONFLICT (tenant_id, kind, group_id) DO UPDATE SET status = 'running',
       building_version = training.snapshot_version + 1, lease_until = now() + interval '1 hour',
       lease_token = gen_random_uuid()`,
    [ref.tenantId, ref.kind, ref.groupId],
  );
}

for (const kind of ['personGroup', 'largePersonGroup'] as const) {
  test(`identify against a trained ${kind} ranks the person photographed first`, async () => {
    const ref = refOf('alpha', kind, 'staff');
    const persons = await enrolledGroup(ref);
    await store.train(ref);

    for (const { personId, face } of persons) {
      const candidates = await identify(ref, near(face));
      assert.equal(candidates[0]?.personId, personId);
      // The others are different people: below the open-set threshold.
      assert.equal(candidates.length, 1);
    }
  });

  test(`identify against a ${kind} never trained fails with ${trainingErrors(kind).notTrained}`, async () => {
    const ref = refOf('alpha', kind, 'untrained');
    const [person] = await enrolledGroup(ref);

    await assert.rejects(identify(ref, person!.face), { key: trainingErrors(kind).notTrained });
  });

  test(`identify against a ${kind} training for the first time fails with ${trainingErrors(kind).inProgress}`, async () => {
    const ref = refOf('alpha', kind, 'training');
    const [person] = await enrolledGroup(ref);
    await trainingElsewhere(ref);

    await assert.rejects(identify(ref, person!.face), { key: trainingErrors(kind).inProgress });
  });
}

for (const kind of ['personGroup', 'largePersonGroup', 'largeFaceList'] as const) {
  test(`a ${kind} never trained answers training status with ${trainingErrors(kind).neverTrained}`, async () => {
    const ref = refOf('alpha', kind, 'untrained-status');
    await filled(ref);

    await assert.rejects(store.training.status(ref), { key: trainingErrors(kind).neverTrained });
  });

  test(`training a ${kind} while it trains fails with ${trainingErrors(kind).inProgress}`, async () => {
    const ref = refOf('alpha', kind, 'training-twice');
    await filled(ref);
    await trainingElsewhere(ref);

    await assert.rejects(store.train(ref), { key: trainingErrors(kind).inProgress });
  });
}

test('identify answers from the last training while the next one runs', async () => {
  const ref = refOf('alpha', 'largePersonGroup', 'retraining');
  const [person] = await enrolledGroup(ref);
  await store.train(ref);
  await trainingElsewhere(ref);

  assert.equal((await identify(ref, near(person!.face)))[0]?.personId, person!.personId);
  assert.equal((await store.training.status(ref)).status, 'running');
});

test('identify with no threshold ranks every person, most similar first', async () => {
  const ref = refOf('alpha', 'largePersonGroup', 'ranked');
  const persons = await enrolledGroup(ref);
  await store.train(ref);
  const faceId = await store.detect(ref.tenantId, near(persons[2]!.face));

  const [result] = await store.recognition.identify({
    ...ref,
    faceIds: [faceId],
    maxNumOfCandidatesReturned: 5,
    confidenceThreshold: 0,
  });

  const candidates = result!.candidates;
  assert.equal(candidates.length, 5);
  assert.equal(candidates[0]!.personId, persons[2]!.personId);
  assert.deepEqual(
    candidates.map((c) => c.confidence),
    candidates.map((c) => c.confidence).sort((a, b) => b - a),
  );
});

test('identify with a face detected by another recognition model fails with RECOGNITION_MODEL_MISMATCH', async () => {
  const ref = refOf('alpha', 'personGroup', 'other-model');
  const [person] = await enrolledGroup(ref);
  await store.train(ref);
  const faceId = await store.detect(ref.tenantId, person!.face, 'recognition_04');

  await assert.rejects(store.recognition.identify({ ...ref, faceIds: [faceId], maxNumOfCandidatesReturned: 1 }), {
    key: 'RECOGNITION_MODEL_MISMATCH',
  });
});

test('a person deleted after the training is left out of identify', async () => {
  const ref = refOf('alpha', 'personGroup', 'left');
  const [gone] = await enrolledGroup(ref);
  await store.train(ref);

  await store.persons.delete({ ...ref, ...write(), personId: gone!.personId });

  assert.deepEqual(await identify(ref, near(gone!.face)), []);
});

test('a person deleted after the training, and another after the next one, are left out of identify', async () => {
  const ref = refOf('alpha', 'largePersonGroup', 'left-twice');
  const [first, second, ...kept] = await enrolledGroup(ref);
  await store.train(ref);
  assert.equal((await identify(ref, near(first!.face)))[0]?.personId, first!.personId, 'nothing deleted yet');

  await store.persons.delete({ ...ref, ...write(), personId: first!.personId });
  assert.deepEqual(await identify(ref, near(first!.face)), []);
  await store.train(ref);
  await store.persons.delete({ ...ref, ...write(), personId: second!.personId });

  assert.deepEqual(await identify(ref, near(second!.face)), []);
  assert.equal((await identify(ref, near(kept[0]!.face)))[0]?.personId, kept[0]!.personId);
});

test('training a collection without faces fails and says why', async () => {
  const ref = refOf('alpha', 'largeFaceList', 'empty');
  await store.createCollection(ref);

  await assert.rejects(store.train(ref), /There is no face in the large face list/);
  assert.equal((await store.training.status(ref)).status, 'failed');
});

test('FindSimilar against a trained large face list ranks the same face first', async () => {
  const ref = refOf('alpha', 'largeFaceList', 'faces');
  const faces = await filledList(ref);
  await store.train(ref);

  for (const { persistedFaceId, face } of faces) {
    const similar = await findSimilar({ ...ref, kind: 'largeFaceList' }, near(face));
    assert.equal(similar[0], persistedFaceId);
    assert.equal(similar.length, 3);
  }
});

test('FindSimilar against a face list ranks the same face first, with no training', async () => {
  const ref = refOf('alpha', 'faceList', 'faces');
  const faces = await filledList(ref);

  for (const { persistedFaceId, face } of faces) {
    const similar = await findSimilar({ ...ref, kind: 'faceList' }, near(face));
    assert.equal(similar[0], persistedFaceId);
    assert.equal(similar.length, 3);
  }
});

test('FindSimilar in matchPerson mode keeps only the same face', async () => {
  const ref = refOf('alpha', 'faceList', 'match-person');
  const [first] = await filledList(ref);

  assert.deepEqual(await findSimilar({ ...ref, kind: 'faceList' }, near(first!.face), 'matchPerson'), [
    first!.persistedFaceId,
  ]);
});

test('FindSimilar against a large face list never trained fails with LARGE_FACE_LIST_NOT_TRAINED', async () => {
  const ref = refOf('alpha', 'largeFaceList', 'untrained');
  const [first] = await filledList(ref);

  await assert.rejects(findSimilar({ ...ref, kind: 'largeFaceList' }, first!.face), {
    key: 'LARGE_FACE_LIST_NOT_TRAINED',
  });
});

test('FindSimilar against a large face list training for the first time fails with LARGE_FACE_LIST_TRAINING_IN_PROGRESS', async () => {
  const ref = refOf('alpha', 'largeFaceList', 'training');
  const [first] = await filledList(ref);
  await trainingElsewhere(ref);

  await assert.rejects(findSimilar({ ...ref, kind: 'largeFaceList' }, first!.face), {
    key: trainingErrors('largeFaceList').inProgress,
  });
});

test('a face deleted from a large face list after its training is left out of FindSimilar', async () => {
  const ref = refOf('alpha', 'largeFaceList', 'deleted-since');
  const [gone, ...kept] = await filledList(ref);
  await store.train(ref);

  await store.listFaces.delete({ ...ref, ...write(), persistedFaceId: gone!.persistedFaceId });

  const similar = await findSimilar({ ...ref, kind: 'largeFaceList' }, gone!.face);
  assert.equal(similar.length, 3);
  assert.ok(!similar.includes(gone!.persistedFaceId));
  assert.ok(similar.every((id) => kept.some((face) => face.persistedFaceId === id)));
});

test('a face added to a large face list after its training is found once it is trained again', async () => {
  const ref = refOf('alpha', 'largeFaceList', 'added-since');
  await filledList(ref);
  await store.train(ref);
  const face = syntheticEmbedding();
  const added = await store.addFace(ref, face);

  assert.notEqual((await findSimilar({ ...ref, kind: 'largeFaceList' }, face))[0], added);
  await store.train(ref);
  assert.equal((await findSimilar({ ...ref, kind: 'largeFaceList' }, face))[0], added);
});

test('another tenant can search neither a group nor a list, nor use a faceId it did not detect', async () => {
  const group = refOf('alpha', 'personGroup', 'private');
  const list = refOf('alpha', 'faceList', 'private');
  const [person] = await enrolledGroup(group);
  await store.train(group);
  const [listed] = await filledList(list);

  await assert.rejects(identify({ ...group, tenantId: 'beta' }, person!.face), { key: 'PERSON_GROUP_NOT_FOUND' });
  await assert.rejects(findSimilar({ ...list, tenantId: 'beta', kind: 'faceList' }, listed!.face), {
    key: 'FACE_LIST_NOT_FOUND',
  });
  const theirs = { ...group, tenantId: 'beta' };
  await enrolledGroup(theirs);
  await store.train(theirs);
  const alphaFaceId = await store.detect('alpha', person!.face);
  await assert.rejects(
    store.recognition.identify({ ...theirs, faceIds: [alphaFaceId], maxNumOfCandidatesReturned: 1 }),
    { key: 'FACE_ID_NOT_FOUND' },
  );
});
