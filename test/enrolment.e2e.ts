/**
 * Enrolment end to end through gateway → RabbitMQ → detector → store → Postgres: groups, persons, faces,
 * every edge-case file, size and id rules, URL images, and what ends up in the database.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { edge, edgeManifest, EnvelopeApi, face, manifest } from './support/api';
import { Stack } from './support/stack';

let stack: Stack;
let api: EnvelopeApi;
let imageServer: Server;
let imagePort = 0;

before(async () => {
  imageServer = createServer((request, response) => {
    if (request.url === '/face.jpg')
      response.writeHead(200, { 'content-type': 'image/jpeg' }).end(edge('single_face.jpg'));
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => imageServer.listen(0, '127.0.0.1', resolve));
  imagePort = (imageServer.address() as { port: number }).port;
  stack = await Stack.start({ env: { URL_FETCH_ALLOW: '127.0.0.1/32' } });
  api = new EnvelopeApi(stack.baseUrl);
});

after(async () => {
  await stack?.stop();
  imageServer?.close();
});

describe('large person groups', () => {
  test('create, read, list with paging, update and delete', async () => {
    for (const id of ['grp-b', 'grp-a', 'grp-c']) {
      const created = await api.createGroup(id, {
        name: `Group ${id}`,
        userData: 'x',
        recognitionModel: 'recognition_01',
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      assert.equal(created.body.success, true);
      assert.equal((created.body.data as { id: string }).id, id);
      assert.match((created.body.data as { created_at: string }).created_at, /^\d{4}-\d\d-\d\dT.*Z$/);
    }
    const duplicate = await api.createGroup('grp-a');
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.error?.code, 'GROUP_EXISTS');

    const page1 = await api.call<{ id: string }[]>('GET', '/largepersongroups?top=2');
    assert.deepEqual(
      page1.body.data!.map((g) => g.id),
      ['grp-a', 'grp-b'],
    );
    const page2 = await api.call<{ id: string }[]>('GET', '/largepersongroups?start=grp-b&top=2');
    assert.deepEqual(
      page2.body.data!.map((g) => g.id),
      ['grp-c'],
    );

    const updated = await api.call<{ name: string; user_data: string }>('PATCH', '/largepersongroups/grp-c', {
      name: 'C2',
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.data!.name, 'C2');
    assert.equal(updated.body.data!.user_data, 'x');
    const emptyPatch = await api.call('PATCH', '/largepersongroups/grp-c', {});
    assert.equal(emptyPatch.status, 400);
    assert.equal(emptyPatch.body.error?.code, 'VALIDATION_ERROR');

    assert.equal((await api.call('DELETE', '/largepersongroups/grp-c')).status, 200);
    const gone = await api.call('GET', '/largepersongroups/grp-c');
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error?.code, 'GROUP_NOT_FOUND');
  });

  test('ids, names, models and paging parameters are validated', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['PUT', '/largepersongroups/Upper', { name: 'n' }, 400, 'INVALID_GROUP_ID'],
      ['PUT', `/largepersongroups/${'a'.repeat(65)}`, { name: 'n' }, 400, 'INVALID_GROUP_ID'],
      ['PUT', '/largepersongroups/ok-id', { name: '' }, 400, 'VALIDATION_ERROR'],
      ['PUT', '/largepersongroups/ok-id', { name: 'x'.repeat(129) }, 400, 'VALIDATION_ERROR'],
      ['PUT', '/largepersongroups/ok-id', { name: 'n', userData: 'u'.repeat(16385) }, 400, 'VALIDATION_ERROR'],
      ['PUT', '/largepersongroups/ok-id', { name: 'n', recognitionModel: 'recognition_09' }, 400, 'VALIDATION_ERROR'],
      ['GET', '/largepersongroups/Upper', undefined, 404, 'GROUP_NOT_FOUND'],
      ['GET', '/largepersongroups?top=0', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', '/largepersongroups?top=1001', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', '/largepersongroups?top=abc', undefined, 400, 'VALIDATION_ERROR'],
      ['GET', `/largepersongroups?start=${'s'.repeat(65)}`, undefined, 400, 'VALIDATION_ERROR'],
    ];
    for (const [method, route, body, status, code] of cases) {
      const response = await api.call(method, route, body);
      assert.equal(response.status, status, `${method} ${route}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.success, false);
      assert.equal(response.body.error?.code, code, `${method} ${route}`);
    }
    const malformed = await fetch(`${stack.baseUrl}/largepersongroups/ok-id`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    assert.equal(malformed.status, 400);
    assert.equal(((await malformed.json()) as { error: { code: string } }).error.code, 'INVALID_JSON');
  });
});

describe('persons and faces', () => {
  test('every photo of several identities is enrolled and read back', async () => {
    await api.createGroup('celebrities');
    const photos = manifest();
    const identities = [...new Set(photos.map((p) => p.identity))].slice(0, 5);
    const expected = new Map<string, string[]>();
    for (const identity of identities) {
      const personId = await api.createPerson('celebrities', identity);
      const ids: string[] = [];
      for (const photo of photos.filter((p) => p.identity === identity)) {
        const added = await api.addFace('celebrities', personId, face(photo.file), `?userData=${photo.file}`);
        assert.equal(added.status, 200, `${photo.file}: ${JSON.stringify(added.body)}`);
        assert.match(added.body.data!.id, /^[0-9a-f-]{36}$/);
        ids.push(added.body.data!.id);
      }
      expected.set(personId, ids);
    }
    const listed = await api.call<{ id: string; name: string; persisted_face_ids: string[] }[]>(
      'GET',
      '/largepersongroups/celebrities/persons',
    );
    assert.equal(listed.status, 200);
    assert.equal(listed.body.data!.length, identities.length);
    const sortedIds = listed.body.data!.map((p) => p.id);
    assert.deepEqual(sortedIds, [...sortedIds].sort());
    for (const person of listed.body.data!) {
      assert.deepEqual(person.persisted_face_ids, expected.get(person.id));
    }
    const [firstPerson, firstFaces] = [...expected.entries()][0]!;
    const one = await api.call<{ user_data: string; face_rectangle: { width: number } }>(
      'GET',
      `/largepersongroups/celebrities/persons/${firstPerson}/persistedfaces/${firstFaces[0]}`,
    );
    assert.equal(one.status, 200);
    assert.ok(one.body.data!.user_data.endsWith('.jpg'));
    assert.ok(one.body.data!.face_rectangle.width >= 36);
  });

  test('every edge-case file gets the answer its manifest expects, never a 5xx', async () => {
    await api.createGroup('edges');
    const personId = await api.createPerson('edges', 'compreface person a');
    const expectedCode: Record<string, string | null> = {
      single_face: null,
      multiple_faces: 'MULTIPLE_FACES',
      no_face: 'NO_FACE_DETECTED',
      face_too_small: 'NO_FACE_DETECTED',
      image_too_small: 'IMAGE_TOO_SMALL',
      invalid_image: 'INVALID_IMAGE',
      unsupported_format: 'INVALID_IMAGE',
    };
    for (const item of edgeManifest()) {
      const response = await api.addFace('edges', personId, edge(item.file));
      assert.ok(response.status < 500, `${item.file}: ${response.status}`);
      if (item.expect === 'too_many_pixels') {
        assert.equal(response.status, 400, item.file);
        continue;
      }
      const code = expectedCode[item.expect];
      if (code === null) assert.equal(response.status, 200, `${item.file}: ${JSON.stringify(response.body)}`);
      else {
        assert.equal(response.status, 400, `${item.file}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.error?.code, code, item.file);
      }
    }
  });

  test('bodies under 1 KB and over 6 MB, and other content types, are refused', async () => {
    await api.createGroup('sizes');
    const personId = await api.createPerson('sizes', 'p');
    const small = await api.addFace('sizes', personId, Buffer.alloc(500, 0xff));
    assert.equal(small.status, 400);
    assert.equal(small.body.error?.code, 'IMAGE_TOO_SMALL');
    const empty = await api.addFace('sizes', personId, Buffer.alloc(0));
    assert.equal(empty.body.error?.code, 'IMAGE_TOO_SMALL');
    const big = await api.addFace(
      'sizes',
      personId,
      Buffer.concat([edge('single_face.jpg'), Buffer.alloc(6 * 1024 * 1024)]),
    );
    assert.equal(big.status, 400);
    assert.equal(big.body.error?.code, 'IMAGE_TOO_LARGE');
    const text = await fetch(`${stack.baseUrl}/largepersongroups/sizes/persons/${personId}/persistedfaces`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    assert.equal(text.status, 415);
    const person = await api.call<{ persisted_face_ids: string[] }>(
      'GET',
      `/largepersongroups/sizes/persons/${personId}`,
    );
    assert.deepEqual(person.body.data!.persisted_face_ids, []);
  });

  test('targetFace picks one face of a group photo; zero, several or out of range are errors', async () => {
    await api.createGroup('target');
    const personId = await api.createPerson('target', 'someone');
    const hint = edgeManifest().find((e) => e.file === 'multiple_faces_4.jpg') as unknown as {
      face_rectangles_hint: { left: number; top: number; width: number; height: number }[];
    };
    const r = hint.face_rectangles_hint[0]!;
    const pad = Math.round(r.width * 0.1);
    const rect = [r.left - pad, r.top - pad, r.width + 2 * pad, r.height + 2 * pad]
      .map((v) => Math.max(0, v))
      .join(',');
    const image = edge('multiple_faces_4.jpg');
    const picked = await api.addFace('target', personId, image, `?targetFace=${rect}`);
    assert.equal(picked.status, 200, JSON.stringify(picked.body));
    const all = await api.addFace('target', personId, image, '?targetFace=0,0,4000,4000');
    assert.ok(
      ['TARGET_FACE_MULTIPLE_FACES', 'TARGET_FACE_OUT_OF_RANGE'].includes(all.body.error?.code ?? ''),
      JSON.stringify(all.body),
    );
    const outside = await api.addFace('target', personId, image, '?targetFace=100000,5,10,10');
    assert.equal(outside.status, 400);
    const corner = await api.addFace('target', personId, image, '?targetFace=0,0,40,40');
    assert.equal(corner.body.error?.code, 'TARGET_FACE_NO_FACE', JSON.stringify(corner.body));
    const malformed = await api.addFace('target', personId, image, '?targetFace=1,2,3');
    assert.equal(malformed.body.error?.code, 'VALIDATION_ERROR');
    const badModel = await api.addFace('target', personId, image, '?detectionModel=detection_09');
    assert.equal(badModel.body.error?.code, 'VALIDATION_ERROR');
    const longUserData = await api.addFace('target', personId, image, `?userData=${'u'.repeat(1025)}`);
    assert.equal(longUserData.body.error?.code, 'VALIDATION_ERROR');
  });

  test('unknown group, person and face ids answer 404 with the right code', async () => {
    await api.createGroup('lookup');
    const personId = await api.createPerson('lookup', 'p');
    const image = edge('single_face.jpg');
    const missingGroup = await api.addFace('nope', personId, image);
    assert.equal(missingGroup.body.error?.code, 'GROUP_NOT_FOUND');
    const malformedPerson = await api.addFace('lookup', 'not-a-uuid', image);
    assert.equal(malformedPerson.status, 404);
    assert.equal(malformedPerson.body.error?.code, 'PERSON_NOT_FOUND');
    const missingPerson = await api.addFace('lookup', '00000000-0000-4000-8000-000000000000', image);
    assert.equal(missingPerson.body.error?.code, 'PERSON_NOT_FOUND');
    const missingFace = await api.call(
      'GET',
      `/largepersongroups/lookup/persons/${personId}/persistedfaces/00000000-0000-4000-8000-000000000000`,
    );
    assert.equal(missingFace.status, 404);
    assert.equal(missingFace.body.error?.code, 'PERSISTED_FACE_NOT_FOUND');
  });

  test('faces are updated and deleted, persons and groups delete with their faces', async () => {
    await api.createGroup('lifecycle');
    const personId = await api.createPerson('lifecycle', 'p');
    const first = await api.addFace('lifecycle', personId, face('barack_obama_01.jpg'));
    const second = await api.addFace('lifecycle', personId, face('barack_obama_02.jpg'));
    const facePath = `/largepersongroups/lifecycle/persons/${personId}/persistedfaces/${first.body.data!.id}`;
    const patched = await api.call<{ user_data: string }>('PATCH', facePath, { userData: 'hello' });
    assert.equal(patched.body.data!.user_data, 'hello');
    assert.equal((await api.call('DELETE', facePath)).status, 200);
    assert.equal((await api.call('DELETE', facePath)).body.error?.code, 'PERSISTED_FACE_NOT_FOUND');
    const person = await api.call<{ persisted_face_ids: string[] }>(
      'GET',
      `/largepersongroups/lifecycle/persons/${personId}`,
    );
    assert.deepEqual(person.body.data!.persisted_face_ids, [second.body.data!.id]);

    const renamed = await api.call<{ name: string }>('PATCH', `/largepersongroups/lifecycle/persons/${personId}`, {
      name: 'Barack',
    });
    assert.equal(renamed.body.data!.name, 'Barack');
    assert.equal((await api.call('DELETE', `/largepersongroups/lifecycle/persons/${personId}`)).status, 200);
    const db = await stack.db();
    try {
      const faces = await db.query('SELECT count(*)::int AS n FROM persisted_face WHERE person_id = $1', [personId]);
      assert.equal(faces.rows[0].n, 0);
      const other = await api.createPerson('lifecycle', 'q');
      await api.addFace('lifecycle', other, face('barack_obama_03.jpg'));
      assert.equal((await api.call('DELETE', '/largepersongroups/lifecycle')).status, 200);
      const rows = await db.query(`SELECT count(*)::int AS n FROM person WHERE group_id = 'lifecycle'`);
      assert.equal(rows.rows[0].n, 0);
      const faceRows = await db.query(`SELECT count(*)::int AS n FROM persisted_face WHERE group_id = 'lifecycle'`);
      assert.equal(faceRows.rows[0].n, 0);
    } finally {
      await db.end();
    }
  });

  test('a face is added from a URL; private addresses outside the allow list are refused', async () => {
    await api.createGroup('urls');
    const personId = await api.createPerson('urls', 'p');
    const route = `/largepersongroups/urls/persons/${personId}/persistedfaces`;
    const fromUrl = await api.call('POST', route, { url: `http://127.0.0.1:${imagePort}/face.jpg` });
    assert.equal(fromUrl.status, 200, JSON.stringify(fromUrl.body));
    const ipv6Loopback = await api.call('POST', route, { url: `http://[::1]:${imagePort}/face.jpg` });
    assert.equal(ipv6Loopback.body.error?.code, 'INVALID_URL');
    const metadata = await api.call('POST', route, { url: 'http://169.254.169.254/latest/meta-data' });
    assert.equal(metadata.body.error?.code, 'INVALID_URL');
    const missing = await api.call('POST', route, { url: `http://127.0.0.1:${imagePort}/missing.jpg` });
    assert.equal(missing.body.error?.code, 'INVALID_URL');
    const notUrl = await api.call('POST', route, { nope: 1 });
    assert.equal(notUrl.body.error?.code, 'INVALID_URL');
  });
});

describe('stored data', () => {
  test('the database holds feature vectors only, never image bytes', async () => {
    const db = await stack.db();
    try {
      const faces = await db.query(
        `SELECT length(embedding) AS bytes, position('\\xffd8ff'::bytea in embedding) AS jpeg FROM persisted_face`,
      );
      assert.ok(faces.rows.length > 20);
      for (const row of faces.rows) {
        assert.equal(row.bytes, 128 * 4);
        assert.equal(row.jpeg, 0);
      }
      // Nor anywhere as text: no base64 JPEG or PNG header in any text or JSON column.
      const textual = await db.query(
        `SELECT count(*)::int AS n FROM (
           SELECT user_data AS v FROM collection UNION ALL SELECT user_data FROM person
           UNION ALL SELECT user_data FROM persisted_face UNION ALL SELECT face_rectangle::text FROM persisted_face
           UNION ALL SELECT reply::text FROM applied_write) t
         WHERE v LIKE '%/9j/%' OR v LIKE '%iVBORw0KGgo%'`,
      );
      assert.equal(textual.rows[0].n, 0);
      const columns = await db.query(
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = 'public' AND data_type = 'bytea'`,
      );
      // Every binary column holds float32 feature vectors or the snapshot's int8 codes and scales of them.
      assert.deepEqual(columns.rows.map((r) => `${r.table_name}.${r.column_name}`).sort(), [
        'detected_face.embedding',
        'persisted_face.embedding',
        'training_snapshot_chunk.codes',
        'training_snapshot_chunk.residual_codes',
        'training_snapshot_chunk.residual_scales',
        'training_snapshot_chunk.scales',
      ]);
    } finally {
      await db.end();
    }
  });
});
