/**
 * The repositories of applied writes, detected faces, collections and persons on their own: a request id is
 * claimed once and forgotten after its retention, a tenant's detected faces stay within its quota, and rows are
 * found only in their own tenant and collection.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { AppliedWritesRepository } from '../src/idempotency/applied-writes.repository';
import { applyStatementOnce } from '../src/idempotency/applied-writes';
import { DetectedFacesRepository } from '../src/detected-faces/detected-faces.repository';
import { CollectionsRepository } from '../src/groups/collections.repository';
import { PersonsRepository } from '../src/persons/persons.repository';
import { model, refOf, StoreHarness, syntheticEmbedding, write } from './support/store-harness';

let store: StoreHarness;

before(async () => {
  store = await StoreHarness.open();
});

after(async () => {
  await store?.close();
});

test('a request id is claimed once; its reply is found once recorded', async () => {
  const applied = new AppliedWritesRepository(store.dataSource.manager);
  const request = write();

  assert.equal(await applied.claim(request), true);
  assert.equal(await applied.claim(request), false);
  await applied.recordReply(request.requestId, { answer: 1 });

  assert.deepEqual(await applied.find(request.requestId), { fingerprint: request.fingerprint, reply: { answer: 1 } });
  assert.equal(await applied.find(randomUUID()), undefined);
});

test('results older than the retention are forgotten, newer ones kept', async () => {
  const applied = new AppliedWritesRepository(store.dataSource.manager);
  const [old, recent] = [write(), write()];
  await applied.claim(old);
  await applied.claim(recent);
  await store.query(`UPDATE applied_write SET created_at = now() - interval '49 hours' WHERE request_id = $1`, [
    old.requestId,
  ]);

  assert.equal(await applied.prune(48), 1);
  assert.equal(await applied.find(old.requestId), undefined);
  assert.ok(await applied.find(recent.requestId));
});

test('a single-statement write replays the first reply, and refuses its key with another request', async () => {
  const request = write();
  const prior = { prior_fingerprint: request.fingerprint, prior_reply: { first: true } };
  const fresh = { prior_fingerprint: null, prior_reply: null, added: true };

  assert.deepEqual(
    await applyStatementOnce(
      request,
      async () => prior,
      () => ({ first: false }),
    ),
    { first: true },
  );
  assert.deepEqual(
    await applyStatementOnce(
      request,
      async () => fresh,
      ({ added }) => ({ added }),
    ),
    { added: true },
  );
  await assert.rejects(
    applyStatementOnce(
      { ...request, fingerprint: 'another request' },
      async () => prior,
      () => ({}),
    ),
    { key: 'IDEMPOTENCY_KEY_REUSED' },
  );
});

test('a tenant’s tally takes detected faces up to its quota, and no further', async () => {
  const detected = new DetectedFacesRepository(store.dataSource.manager);

  assert.equal(await detected.reserve('quota-a', 3, 4), true);
  assert.equal(await detected.reserve('quota-a', 2, 4), false);
  assert.equal(await detected.reserve('quota-a', 1, 4), true);
  assert.equal(await detected.reserve('quota-b', 4, 4), true, 'each tenant has its own tally');
  const tallies = await store.query<{ tenant_id: string; stored: number }>(
    `SELECT tenant_id, stored FROM detected_face_tally WHERE tenant_id LIKE 'quota-%' ORDER BY tenant_id`,
  );
  assert.deepEqual(
    tallies.map((row) => [row.tenant_id, row.stored]),
    [
      ['quota-a', 4],
      ['quota-b', 4],
    ],
  );
});

test('live detected faces are found in their own tenant only; a tenant’s purge leaves the others', async () => {
  const detected = new DetectedFacesRepository(store.dataSource.manager);
  const face = (tenantId: string, expiresInMs: number) => ({
    faceId: randomUUID(),
    tenantId,
    recognitionModel: model,
    embedding: syntheticEmbedding(),
    expiresAt: new Date(Date.now() + expiresInMs),
  });
  const [live, expired, otherExpired] = [face('purge-a', 60_000), face('purge-a', -60_000), face('purge-b', -60_000)];
  await detected.reserve('purge-a', 2, 100);
  await detected.reserve('purge-b', 1, 100);
  await detected.insert([live, expired, otherExpired]);

  const found = await detected.findLive('purge-a', [live.faceId, expired.faceId, otherExpired.faceId]);
  assert.deepEqual(
    found.map((f) => f.faceId),
    [live.faceId],
  );
  assert.deepEqual([...found[0]!.embedding], [...live.embedding]);
  assert.deepEqual(await detected.findLive('purge-b', [live.faceId]), []);

  assert.equal(await detected.purgeExpiredOfTenant('purge-a', 10), 1);
  const left = await store.query<{ face_id: string }>(
    `SELECT face_id FROM detected_face WHERE tenant_id LIKE 'purge-%' ORDER BY tenant_id`,
  );
  assert.deepEqual(
    left.map((row) => row.face_id),
    [live.faceId, otherExpired.faceId],
  );
  const [tally] = await store.query<{ stored: number }>(
    `SELECT stored FROM detected_face_tally WHERE tenant_id = 'purge-a'`,
  );
  assert.equal(tally!.stored, 1);
});

test('a collection id taken in its kind and tenant is refused; the same id elsewhere is not', async () => {
  const collections = new CollectionsRepository(store.dataSource.manager);
  const row = (tenantId: string) => ({
    ...refOf(tenantId, 'faceList' as const, 'twice'),
    name: 'n',
    userData: null,
    recognitionModel: model,
    faceCount: 0,
    createdAt: new Date(),
    updatedAt: new Date(),
  });

  assert.equal(await collections.insert(row('alpha')), true);
  assert.equal(await collections.insert(row('alpha')), false);
  assert.equal(await collections.insert(row('beta')), true);
  assert.equal(await collections.delete(refOf('alpha', 'largeFaceList', 'twice')), false);
  assert.equal(await collections.delete(refOf('alpha', 'faceList', 'twice')), true);
});

test('a person’s faces are listed oldest first, and only persons of the group count as existing', async () => {
  const persons = new PersonsRepository(store.dataSource.manager);
  const ref = refOf('alpha', 'largePersonGroup', 'faces-of');
  const other = refOf('alpha', 'personGroup', 'faces-of');
  await store.createCollection(ref);
  await store.createCollection(other);
  const [ann, bob] = [await store.createPerson(ref), await store.createPerson(ref)];
  const stranger = await store.createPerson(other);
  const annFaces = [];
  for (let i = 0; i < 3; i++) annFaces.push(await store.addFace(ref, syntheticEmbedding(), ann));
  // Three adds may share a millisecond: give them distinct times, the last added the newest.
  for (const [i, faceId] of annFaces.entries()) {
    await store.query(
      `UPDATE persisted_face SET created_at = now() - make_interval(mins => $1) WHERE persisted_face_id = $2`,
      [annFaces.length - i, faceId],
    );
  }

  const faceIds = await persons.faceIdsOf([ann, bob]);

  assert.deepEqual(faceIds.get(ann), annFaces);
  assert.deepEqual(faceIds.get(bob), []);
  assert.deepEqual([...(await persons.existing(ref, [ann, bob, stranger]))].sort(), [ann, bob].sort());
  assert.equal(await persons.count(ref), 2);
});
