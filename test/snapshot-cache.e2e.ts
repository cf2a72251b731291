/**
 * Identify's snapshot cache in a store process: a group deleted and created again under the same id answers
 * from its own training, never from the deleted group's; a deleted group's snapshot leaves memory; the cache
 * stays within SNAPSHOT_CACHE_MB by dropping the least recently used snapshots.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EnvelopeApi, face, manifest } from './support/api';
import { seedFaces } from './support/seed';
import { freePort, Stack, waitFor } from './support/stack';

let stack: Stack;
let api: EnvelopeApi;
let metricsUrl: string;

const photosOf = (identity: string) =>
  manifest()
    .filter((p) => p.identity === identity)
    .map((p) => p.file);

before(async () => {
  const opsPort = await freePort();
  metricsUrl = `http://127.0.0.1:${opsPort}/metrics`;
  stack = await Stack.start({ env: { STORE_OPS_PORT: String(opsPort), SNAPSHOT_CACHE_MB: '16' } });
  api = new EnvelopeApi(stack.baseUrl);
});

after(async () => stack?.stop());

/** A person with every photo of `identity` but the first; returns the person and the first photo's faceId. */
async function enrol(groupId: string, identity: string): Promise<{ personId: string; probe: string }> {
  const [probeFile, ...enrolled] = photosOf(identity);
  const personId = await api.createPerson(groupId, identity);
  for (const file of enrolled) {
    const added = await api.addFace(groupId, personId, face(file));
    assert.equal(added.status, 200, `${file}: ${JSON.stringify(added.body)}`);
  }
  const detected = await api.call<{ face_id: string }[]>('POST', '/detect', face(probeFile!));
  assert.equal(detected.status, 200, JSON.stringify(detected.body));
  return { personId, probe: detected.body.data![0]!.face_id };
}

async function train(groupId: string): Promise<void> {
  const started = await api.call('POST', `/largepersongroups/${groupId}/train`);
  assert.equal(started.status, 202, JSON.stringify(started.body));
  let status = '';
  await waitFor(
    async () => {
      status = (await api.call<{ status: string }>('GET', `/largepersongroups/${groupId}/training`)).body.data!.status;
      return status !== 'running';
    },
    120_000,
    `training of ${groupId}`,
  );
  assert.equal(status, 'succeeded');
}

async function topCandidate(groupId: string, faceId: string): Promise<string | undefined> {
  const response = await api.call<{ candidates: { person_id: string }[] }[]>('POST', '/identify', {
    faceIds: [faceId],
    largePersonGroupId: groupId,
  });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.data![0]!.candidates[0]?.person_id;
}

/** One sample of the store's metrics, by name and label text (`reason="size"`). */
async function metric(name: string, labels = ''): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}}` : `${name} `));
  return line ? Number(line.split(' ').pop()) : 0;
}

test("a group deleted and created again identifies from its own training, not the deleted group's", async () => {
  await api.createGroup('g');
  const a = await enrol('g', 'colin_powell');
  await train('g');
  assert.equal(await topCandidate('g', a.probe), a.personId);

  assert.equal((await api.call('DELETE', '/largepersongroups/g')).status, 200);
  await api.createGroup('g');
  const b = await enrol('g', 'hugo_chavez');
  await train('g');
  assert.equal(await topCandidate('g', b.probe), b.personId);
  assert.equal(await topCandidate('g', a.probe), undefined);
});

test('the same when another store process deleted the group, unseen by the one that answers identify', async () => {
  await api.createGroup('shared');
  const a = await enrol('shared', 'deepface_scarlett');
  await train('shared');
  assert.equal(await topCandidate('shared', a.probe), a.personId);

  const db = await stack.db();
  try {
    await db.query(`DELETE FROM collection WHERE group_id = 'shared'`);
  } finally {
    await db.end();
  }
  await api.createGroup('shared');
  const b = await enrol('shared', 'kate_hudson');
  await train('shared');
  assert.equal(await topCandidate('shared', b.probe), b.personId);
});

test("deleting a group drops its snapshot from the store's memory", async () => {
  await api.createGroup('short-lived');
  const c = await enrol('short-lived', 'nicole_kidman');
  await train('short-lived');
  const before = await metric('visage_snapshot_cache_bytes');
  const deletedBefore = await metric('visage_snapshot_cache_evictions_total', 'reason="deleted"');
  assert.equal(await topCandidate('short-lived', c.probe), c.personId);
  const loaded = await metric('visage_snapshot_cache_bytes');
  assert.ok(loaded > before, `${loaded} cached bytes after identify, ${before} before`);

  assert.equal((await api.call('DELETE', '/largepersongroups/short-lived')).status, 200);
  assert.equal(await metric('visage_snapshot_cache_bytes'), before);
  assert.equal(await metric('visage_snapshot_cache_evictions_total', 'reason="deleted"'), deletedBefore + 1);
});

test('the cache stays within SNAPSHOT_CACHE_MB, dropping the least recently used snapshot', async () => {
  // Three groups of 25 000 seeded faces, about 6.5 MiB of snapshot each: two fit in 16 MiB, three do not.
  const groups = ['large-1', 'large-2', 'large-3'];
  const db = await stack.db();
  try {
    for (const [marker, groupId] of groups.entries()) {
      await api.createGroup(groupId);
      await seedFaces(db, groupId, { persons: 2000, faces: 25_000, marker });
    }
  } finally {
    await db.end();
  }
  for (const groupId of groups) await train(groupId);
  const probe = (await api.call<{ face_id: string }[]>('POST', '/detect', face(photosOf('kate_hudson')[0]!))).body
    .data![0]!.face_id;
  const bound = 16 * 2 ** 20;
  const sizeEvictions = await metric('visage_snapshot_cache_evictions_total', 'reason="size"');
  await topCandidate('large-1', probe);
  await topCandidate('large-2', probe);
  const two = await metric('visage_snapshot_cache_bytes');
  assert.ok(two > 12 * 2 ** 20 && two <= bound, `${two} bytes for two snapshots`);
  await topCandidate('large-3', probe);
  assert.ok((await metric('visage_snapshot_cache_bytes')) <= bound);
  const afterThird = await metric('visage_snapshot_cache_evictions_total', 'reason="size"');
  assert.ok(afterThird > sizeEvictions, 'a snapshot was dropped for large-3');
  // large-1 was the least recently used, so it went and large-2 stayed; identify loads large-1 again.
  await topCandidate('large-2', probe);
  assert.equal(await metric('visage_snapshot_cache_evictions_total', 'reason="size"'), afterThird);
  await topCandidate('large-1', probe);
  assert.equal(await metric('visage_snapshot_cache_evictions_total', 'reason="size"'), afterThird + 1);
  assert.ok((await metric('visage_snapshot_cache_bytes')) <= bound);
});
