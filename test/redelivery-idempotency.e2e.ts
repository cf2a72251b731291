/** Retried and redelivered writes apply once: the same Idempotency-Key returns the first result. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EnvelopeApi, face } from './support/api';
import { Stack, waitFor } from './support/stack';

let stack: Stack;
let api: EnvelopeApi;

before(async () => {
  stack = await Stack.start();
  api = new EnvelopeApi(stack.baseUrl);
  await api.createGroup('idem');
});

after(async () => stack?.stop());

test('the same Idempotency-Key twice gives one face and the same id', async () => {
  const personId = await api.createPerson('idem', 'p');
  const image = face('hans_blix_01.jpg');
  const headers = { 'idempotency-key': 'add-hans-1' };
  const first = await api.addFace('idem', personId, image, '', headers);
  const second = await api.addFace('idem', personId, image, '', headers);
  const concurrent = await Promise.all([1, 2].map(() => api.addFace('idem', personId, image, '', headers)));
  assert.equal(first.status, 200);
  for (const response of [second, ...concurrent]) assert.deepEqual(response.body, first.body);
  const person = await api.call<{ persisted_face_ids: string[] }>('GET', `/largepersongroups/idem/persons/${personId}`);
  assert.deepEqual(person.body.data!.persisted_face_ids, [first.body.data!.id]);

  const reused = await api.addFace('idem', personId, face('hans_blix_02.jpg'), '', headers);
  assert.equal(reused.status, 422);
  assert.equal(reused.body.error?.code, 'IDEMPOTENCY_KEY_REUSED');
});

test('a store killed between commit and ack neither loses nor duplicates the face', async () => {
  const personId = await api.createPerson('idem', 'crash');
  for (const store of stack.running('store')) await stack.kill(store);
  const crashing = stack.spawn('store', { VISAGE_FAILPOINT: 'crash-before-ack:faces.add' });

  const pending = api.addFace('idem', personId, face('hans_blix_03.jpg'), '', { 'idempotency-key': 'crash-1' });
  await waitFor(() => crashing.exitCode !== null, 60_000, 'the store to crash after committing');
  const db = await stack.db();
  try {
    const committed = await db.query('SELECT persisted_face_id FROM persisted_face WHERE person_id = $1', [personId]);
    assert.equal(committed.rows.length, 1, 'the face was committed before the crash');

    stack.spawn('store');
    const response = await pending;
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.data!.id, committed.rows[0].persisted_face_id);

    const after = await db.query('SELECT count(*)::int AS n FROM persisted_face WHERE person_id = $1', [personId]);
    assert.equal(after.rows[0].n, 1);
    const counted = await db.query('SELECT face_count FROM person WHERE person_id = $1', [personId]);
    assert.equal(counted.rows[0].face_count, 1);
  } finally {
    await db.end();
  }
});
