/**
 * The per-tenant quota of live faceIds: past DETECTED_FACE_QUOTA a Detect is refused with 403 (Azure's
 * QuotaExceeded), all of its faces or none are stored, and room comes back as faceIds expire.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { edge, EnvelopeApi } from './support/api';
import { Stack } from './support/stack';

let stack: Stack;
let api: EnvelopeApi;

before(async () => {
  stack = await Stack.start({ env: { DETECTED_FACE_QUOTA: '2' } });
  api = new EnvelopeApi(stack.baseUrl);
});

after(async () => stack?.stop());

const oneFace = edge('single_face.jpg');
const twoFaces = edge('multiple_faces_2.jpg');

async function liveFaceIds(): Promise<number> {
  const db = await stack.db();
  try {
    const live = 'SELECT count(*)::int AS n FROM detected_face WHERE expires_at > now()';
    return (await db.query<{ n: number }>(live)).rows[0]!.n;
  } finally {
    await db.end();
  }
}

test('past the quota Detect is 403 FACE_ID_QUOTA_REACHED in both dialects, and stores nothing', async () => {
  const first = await api.call<{ face_id: string }[]>('POST', '/detect', oneFace);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal((await api.call('POST', '/detect', oneFace)).status, 200);

  const refused = await api.call('POST', '/detect', oneFace);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error?.code, 'FACE_ID_QUOTA_REACHED');
  assert.match(refused.body.error!.message, /expire/);
  const azure = await fetch(`${stack.baseUrl}/face/v1.0/detect`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: oneFace,
  });
  assert.equal(azure.status, 403);
  assert.equal(((await azure.json()) as { error: { code: string } }).error.code, 'QuotaExceeded');
  assert.equal(await liveFaceIds(), 2);

  // Without faceIds nothing is stored, so the quota does not apply.
  const withoutIds = await api.call<object[]>('POST', '/detect?returnFaceId=false', oneFace);
  assert.equal(withoutIds.status, 200);
  assert.equal(withoutIds.body.data!.length, 1);
});

test('a Detect whose faces do not all fit stores none; expired faceIds make room before they are purged', async () => {
  const db = await stack.db();
  try {
    await db.query(`UPDATE detected_face SET expires_at = now() - interval '1 second'
                    WHERE face_id = (SELECT face_id FROM detected_face LIMIT 1)`);
  } finally {
    await db.end();
  }
  const two = await api.call('POST', '/detect', twoFaces);
  assert.equal(two.status, 403, JSON.stringify(two.body));
  assert.equal(two.body.error?.code, 'FACE_ID_QUOTA_REACHED');
  assert.equal(await liveFaceIds(), 1, 'neither face of the refused Detect was stored');

  const one = await api.call<{ face_id: string }[]>('POST', '/detect', oneFace);
  assert.equal(one.status, 200, JSON.stringify(one.body));
  assert.match(one.body.data![0]!.face_id, /^[0-9a-f-]{36}$/);
});
