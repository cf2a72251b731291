/**
 * The limits of each kind, checked where the store writes: persons per person group, faces per person, faces
 * per face list and large face list; and the counts the limits are checked against kept right.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Collections, Limits, type GroupRef } from '#contracts';
import { refOf, StoreHarness, syntheticEmbedding, write } from './support/store-harness';

let store: StoreHarness;

before(async () => {
  store = await StoreHarness.open();
});

after(async () => {
  await store?.close();
});

const maxPersons = Collections.personGroup.maxPersons!;

/** Persons written straight into the table: the limit is about the count, not how the persons came. */
async function seedPersons(ref: GroupRef, count: number): Promise<void> {
  await store.query(
    `INSERT INTO person (person_id, tenant_id, kind, group_id, name, user_data, face_count, created_at, updated_at)
     SELECT gen_random_uuid(), $1, $2, $3, 'seeded', NULL, 0, now(), now() FROM generate_series(1, $4)`,
    [ref.tenantId, ref.kind, ref.groupId, count],
  );
}

/** Sets a list's face count as if it held that many faces. */
async function setFaceCount(ref: GroupRef, faceCount: number): Promise<void> {
  await store.query(`UPDATE collection SET face_count = $4 WHERE tenant_id = $1 AND kind = $2 AND group_id = $3`, [
    ref.tenantId,
    ref.kind,
    ref.groupId,
    faceCount,
  ]);
}

async function faceCountOf(ref: GroupRef): Promise<number> {
  const [row] = await store.query<{ face_count: number }>(
    `SELECT face_count FROM collection WHERE tenant_id = $1 AND kind = $2 AND group_id = $3`,
    [ref.tenantId, ref.kind, ref.groupId],
  );
  return row!.face_count;
}

test('a person group takes persons up to its limit', async () => {
  const ref = refOf('alpha', 'personGroup', 'almost-full');
  await store.createCollection(ref);
  await seedPersons(ref, maxPersons - 1);

  await store.createPerson(ref);

  assert.equal(await store.countOf('person', ref), maxPersons);
});

test('a full person group refuses another person with PERSON_LIMIT_REACHED', async () => {
  const ref = refOf('alpha', 'personGroup', 'full');
  await store.createCollection(ref);
  await seedPersons(ref, maxPersons);

  await assert.rejects(store.persons.create({ ...ref, ...write(), name: 'one too many' }), {
    key: 'PERSON_LIMIT_REACHED',
  });
  assert.equal(await store.countOf('person', ref), maxPersons);
});

test('a large person group has no person limit of its own', async () => {
  const ref = refOf('alpha', 'largePersonGroup', 'large');
  await store.createCollection(ref);
  await seedPersons(ref, maxPersons);

  await store.createPerson(ref);

  assert.equal(await store.countOf('person', ref), maxPersons + 1);
});

test('a person holds 248 faces and refuses the next with FACE_LIMIT_REACHED', async () => {
  const ref = refOf('alpha', 'personGroup', 'many-faces');
  await store.createCollection(ref);
  const personId = await store.createPerson(ref);
  for (let i = 0; i < Limits.facesPerPerson; i++) await store.addFace(ref, syntheticEmbedding(), personId);

  await assert.rejects(store.addFace(ref, syntheticEmbedding(), personId), { key: 'FACE_LIMIT_REACHED' });

  const person = await store.persons.get({ ...ref, personId });
  assert.equal(person.persistedFaceIds.length, Limits.facesPerPerson);
  assert.equal(await store.countOf('persisted_face', ref), Limits.facesPerPerson);
});

test('a person’s face count follows adds and deletes, and a freed place can be used again', async () => {
  const ref = refOf('alpha', 'largePersonGroup', 'counted');
  await store.createCollection(ref);
  const personId = await store.createPerson(ref);
  const faces = [];
  for (let i = 0; i < 3; i++) faces.push(await store.addFace(ref, syntheticEmbedding(), personId));

  await store.faces.delete({ ...ref, ...write(), personId, persistedFaceId: faces[1]! });
  await assert.rejects(store.faces.delete({ ...ref, ...write(), personId, persistedFaceId: faces[1]! }), {
    key: 'PERSISTED_FACE_NOT_FOUND',
  });

  const [row] = await store.query<{ face_count: number }>(`SELECT face_count FROM person WHERE person_id = $1`, [
    personId,
  ]);
  assert.equal(row!.face_count, 2);
  assert.deepEqual((await store.persons.get({ ...ref, personId })).persistedFaceIds, [faces[0], faces[2]]);
});

for (const kind of ['faceList', 'largeFaceList'] as const) {
  const maxFaces = Collections[kind].maxFaces!;

  test(`a ${kind} takes faces up to ${maxFaces.toLocaleString('en')}`, async () => {
    const ref = refOf('alpha', kind, 'almost-full');
    await store.createCollection(ref);
    await setFaceCount(ref, maxFaces - 1);

    await store.addFace(ref, syntheticEmbedding());

    assert.equal(await faceCountOf(ref), maxFaces);
    assert.equal(await store.countOf('persisted_face', ref), 1);
  });

  test(`a full ${kind} refuses another face with LIST_FACE_LIMIT_REACHED`, async () => {
    const ref = refOf('alpha', kind, 'full');
    await store.createCollection(ref);
    await setFaceCount(ref, maxFaces);

    await assert.rejects(store.addFace(ref, syntheticEmbedding()), { key: 'LIST_FACE_LIMIT_REACHED' });

    assert.equal(await faceCountOf(ref), maxFaces);
    assert.equal(await store.countOf('persisted_face', ref), 0);
  });

  test(`a ${kind}’s face count follows adds and deletes`, async () => {
    const ref = refOf('alpha', kind, 'counted');
    await store.createCollection(ref);
    const faces = [];
    for (let i = 0; i < 3; i++) faces.push(await store.addFace(ref, syntheticEmbedding()));

    await store.listFaces.delete({ ...ref, ...write(), persistedFaceId: faces[0]! });
    await assert.rejects(store.listFaces.delete({ ...ref, ...write(), persistedFaceId: faces[0]! }), {
      key: 'PERSISTED_FACE_NOT_FOUND',
    });
    await store.addFace(ref, syntheticEmbedding());

    assert.equal(await faceCountOf(ref), 3);
    assert.equal(await store.countOf('persisted_face', ref), 3);
    assert.equal((await store.listFaces.list({ ...ref, top: 1000 })).length, 3);
  });
}
