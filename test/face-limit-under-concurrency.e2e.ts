/** The 248-face limit holds under concurrent adds to one person; adds to many persons all succeed. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EnvelopeApi, face } from './support/api';
import { Stack } from './support/stack';

let stack: Stack;
let api: EnvelopeApi;

before(async () => {
  // The suite is about the face limit: all 300 images must reach a detector, none refused by the queue bound
  // nor timed out while they wait on a busy machine.
  stack = await Stack.start({ env: { DETECTOR_QUEUE_MAX_LENGTH: '400', DETECT_TIMEOUT_MS: '600000' } });
  api = new EnvelopeApi(stack.baseUrl);
});

after(async () => stack?.stop());

/** The suite is about the store's count, not detection: BlazeFace finds these faces in a quarter of the time. */
const fastDetection = '?detectionModel=detection_02';

test('300 concurrent adds to one person end with exactly 248 faces and 52 limit errors', async () => {
  await api.createGroup('limit');
  const personId = await api.createPerson('limit', 'busy person');
  const image = face('hans_blix_01.jpg');
  const responses = await Promise.all(
    Array.from({ length: 300 }, () => api.addFace('limit', personId, image, fastDetection)),
  );
  const ok = responses.filter((r) => r.status === 200);
  const limited = responses.filter((r) => r.status === 403 && r.body.error?.code === 'FACE_LIMIT_REACHED');
  const other = responses.filter((r) => r.status !== 200 && r.status !== 403).map((r) => r.body.error);
  assert.deepEqual(other, []);
  assert.equal(ok.length, 248);
  assert.equal(limited.length, 52);
  assert.equal(new Set(ok.map((r) => r.body.data!.id)).size, 248);

  const person = await api.call<{ persisted_face_ids: string[] }>(
    'GET',
    `/largepersongroups/limit/persons/${personId}`,
  );
  assert.equal(person.body.data!.persisted_face_ids.length, 248);
  const db = await stack.db();
  try {
    const counted = await db.query(
      'SELECT p.face_count, (SELECT count(*)::int FROM persisted_face f WHERE f.person_id = p.person_id) AS n FROM person p WHERE p.person_id = $1',
      [personId],
    );
    assert.deepEqual(counted.rows[0], { face_count: 248, n: 248 });
  } finally {
    await db.end();
  }
});

test('concurrent adds to 20 persons all succeed with exact counts', async () => {
  await api.createGroup('many');
  const persons = await Promise.all(Array.from({ length: 20 }, (_, i) => api.createPerson('many', `person ${i}`)));
  const photos = ['colin_powell_01.jpg', 'colin_powell_02.jpg', 'colin_powell_03.jpg'];
  const responses = await Promise.all(
    persons.flatMap((personId) => photos.map((photo) => api.addFace('many', personId, face(photo), fastDetection))),
  );
  assert.deepEqual(
    responses.filter((r) => r.status !== 200).map((r) => r.body.error),
    [],
  );
  const listed = await api.call<{ persisted_face_ids: string[] }[]>('GET', '/largepersongroups/many/persons');
  assert.equal(listed.body.data!.length, 20);
  for (const person of listed.body.data!) assert.equal(person.persisted_face_ids.length, photos.length);
});
