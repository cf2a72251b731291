/**
 * Collections of every kind: each kind has its own id namespace in each tenant, deleting one takes everything
 * that belongs to it and nothing else, and one tenant never reaches another's.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Collections, CollectionKinds, type GroupRef } from '#contracts';
import { refOf, StoreHarness, syntheticEmbedding, write } from './support/store-harness';

let store: StoreHarness;

before(async () => {
  store = await StoreHarness.open();
});

after(async () => {
  await store?.close();
});

test('one id names a different collection in each kind and each tenant', async () => {
  const owners = ['alpha', 'beta'].flatMap((tenant) => CollectionKinds.map((kind) => refOf(tenant, kind, 'shared')));
  for (const ref of owners) await store.createCollection(ref, `${ref.tenantId} ${ref.kind}`);
  for (const ref of owners) {
    const view = await store.groups.get(ref);
    assert.equal(view.name, `${ref.tenantId} ${ref.kind}`);
  }
  const [row] = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM collection WHERE group_id = 'shared'`);
  assert.equal(row!.n, 8);
});

test('creating an id taken in its own kind fails with that kind’s error and changes nothing', async () => {
  for (const kind of CollectionKinds) {
    const ref = refOf('alpha', kind, 'taken');
    await store.createCollection(ref, 'first');
    await assert.rejects(
      store.groups.create({ ...ref, ...write(), name: 'second', recognitionModel: 'recognition_01' }),
      {
        key: Collections[kind].errors.exists,
      },
    );
    assert.equal((await store.groups.get(ref)).name, 'first');
  }
});

test('lists hold only the collections of their own kind and tenant', async () => {
  for (const kind of CollectionKinds) await store.createCollection(refOf('gamma', kind, `only-${kind.toLowerCase()}`));
  for (const kind of CollectionKinds) {
    const ids = (await store.groups.list({ tenantId: 'gamma', kind, top: 1000 })).map((view) => view.groupId);
    assert.deepEqual(ids, [`only-${kind.toLowerCase()}`]);
  }
});

test('deleting a person group takes its persons, faces, training and snapshot with it', async () => {
  for (const kind of ['largePersonGroup', 'personGroup'] as const) {
    const ref = refOf('alpha', kind, 'doomed');
    const kept = refOf('alpha', kind, 'kept');
    for (const group of [ref, kept]) {
      await store.createCollection(group);
      const personId = await store.createPerson(group);
      await store.addFace(group, syntheticEmbedding(), personId);
      await store.addFace(group, syntheticEmbedding(), personId);
      await store.train(group);
    }
    assert.deepEqual(await everythingOf(ref), {
      person: 1,
      persisted_face: 2,
      training: 1,
      training_snapshot_chunk: 1,
    });

    assert.deepEqual(await store.groups.delete({ ...ref, ...write() }), { deleted: true });

    assert.deepEqual(await everythingOf(ref), {
      person: 0,
      persisted_face: 0,
      training: 0,
      training_snapshot_chunk: 0,
    });
    assert.deepEqual(await everythingOf(kept), {
      person: 1,
      persisted_face: 2,
      training: 1,
      training_snapshot_chunk: 1,
    });
    await assert.rejects(store.groups.get(ref), { key: Collections[kind].errors.notFound });
  }
});

test('deleting a face list takes its faces, and a large face list its training and snapshot too', async () => {
  for (const kind of ['faceList', 'largeFaceList'] as const) {
    const ref = refOf('alpha', kind, 'doomed');
    await store.createCollection(ref);
    await store.addFace(ref, syntheticEmbedding());
    await store.addFace(ref, syntheticEmbedding());
    if (kind === 'largeFaceList') await store.train(ref);
    const trained = kind === 'largeFaceList' ? 1 : 0;
    assert.deepEqual(await everythingOf(ref), {
      person: 0,
      persisted_face: 2,
      training: trained,
      training_snapshot_chunk: trained,
    });

    await store.groups.delete({ ...ref, ...write() });

    assert.deepEqual(await everythingOf(ref), {
      person: 0,
      persisted_face: 0,
      training: 0,
      training_snapshot_chunk: 0,
    });
  }
});

test('deleting a collection that does not exist fails with its kind’s not-found error', async () => {
  for (const kind of CollectionKinds) {
    await assert.rejects(store.groups.delete({ ...refOf('alpha', kind, 'never-made'), ...write() }), {
      key: Collections[kind].errors.notFound,
    });
  }
});

test('a recreated collection starts empty and untrained', async () => {
  const ref = refOf('alpha', 'largePersonGroup', 'reborn');
  await store.createCollection(ref);
  await store.addFace(ref, syntheticEmbedding(), await store.createPerson(ref));
  await store.train(ref);
  await store.groups.delete({ ...ref, ...write() });

  await store.createCollection(ref);

  assert.deepEqual(await store.persons.list({ ...ref, top: 1000 }), []);
  await assert.rejects(store.training.status(ref), { key: 'TRAINING_NOT_FOUND' });
});

test('another tenant can neither read, change, delete nor add to a collection', async () => {
  for (const kind of CollectionKinds) {
    const ref = refOf('alpha', kind, `private-${kind.toLowerCase()}`);
    await store.createCollection(ref, 'mine');
    const theirs = { ...ref, tenantId: 'beta' };
    const notFound = { key: Collections[kind].errors.notFound };

    await assert.rejects(store.groups.get(theirs), notFound);
    await assert.rejects(store.groups.update({ ...theirs, ...write(), name: 'taken over' }), notFound);
    await assert.rejects(store.groups.delete({ ...theirs, ...write() }), notFound);
    if (Collections[kind].holds === 'persons') {
      await assert.rejects(store.persons.create({ ...theirs, ...write(), name: 'intruder' }), notFound);
    } else {
      await assert.rejects(store.addFace(theirs, syntheticEmbedding()), notFound);
    }

    assert.equal((await store.groups.get(ref)).name, 'mine');
    assert.deepEqual(await everythingOf(ref), {
      person: 0,
      persisted_face: 0,
      training: 0,
      training_snapshot_chunk: 0,
    });
  }
});

test('another tenant cannot reach a person or its faces by id', async () => {
  const ref = refOf('alpha', 'personGroup', 'staff');
  await store.createCollection(ref);
  const personId = await store.createPerson(ref);
  const persistedFaceId = await store.addFace(ref, syntheticEmbedding(), personId);
  const theirs = { ...ref, tenantId: 'beta', personId };

  await assert.rejects(store.persons.get(theirs), { key: 'PERSON_GROUP_NOT_FOUND' });
  await assert.rejects(store.faces.get({ ...theirs, persistedFaceId }), { key: 'PERSON_GROUP_NOT_FOUND' });
  await assert.rejects(store.addFace({ ...ref, tenantId: 'beta' }, syntheticEmbedding(), personId), {
    key: 'PERSON_GROUP_NOT_FOUND',
  });
  assert.equal(await store.countOf('persisted_face', ref), 1);
});

async function everythingOf(ref: GroupRef): Promise<Record<string, number>> {
  return {
    person: await store.countOf('person', ref),
    persisted_face: await store.countOf('persisted_face', ref),
    training: await store.countOf('training', ref),
    training_snapshot_chunk: await store.countOf('training_snapshot_chunk', ref),
  };
}
