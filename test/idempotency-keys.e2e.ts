/**
 * Idempotency-Key on every write, in both dialects: a repeated key with the same request answers the first
 * answer (same status, same body) and has no second effect; the same key with another request is 422
 * IDEMPOTENCY_KEY_REUSED. Without a key, every HTTP request is a write of its own, whatever its x-request-id.
 * A key is remembered for 48 hours: once its record is pruned, the same key is a new request.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../apps/store/src/database/data-source';
import {
  applyOnce,
  appliedWriteRetentionHours,
  pruneAppliedWrites,
} from '../apps/store/src/idempotency/applied-writes';
import { face, sendRequest } from './support/api';
import { Stack, waitFor } from './support/stack';

let stack: Stack;
let dataSource: DataSource;

before(async () => {
  stack = await Stack.start();
  dataSource = createDataSource(stack.databaseUrl, 3);
  await dataSource.initialize();
});

after(async () => {
  await dataSource?.destroy();
  await stack?.stop();
});

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

interface Dialect {
  name: 'envelope' | 'azure';
  prefix: string;
}

const dialects: Dialect[] = [
  { name: 'envelope', prefix: '' },
  { name: 'azure', prefix: '/face/v1.2' },
];

async function send(
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await sendRequest(stack.baseUrl, method, route, body, headers);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function keyed(key: string): Record<string, string> {
  return { 'idempotency-key': key };
}

function json(answer: Answer): Record<string, unknown> & { data?: Record<string, unknown> } {
  return JSON.parse(answer.text) as Record<string, unknown>;
}

function assertOk(answer: Answer, status = 200): void {
  assert.equal(answer.status, status, answer.text);
}

/** The same status and the same JSON (Postgres keeps a recorded answer's keys in an order of its own). */
function assertSameAnswer(replay: Answer, first: Answer): void {
  assert.equal(replay.status, first.status, replay.text);
  assert.deepEqual(parsed(replay), parsed(first));
}

function parsed(answer: Answer): unknown {
  return answer.text === '' ? '' : JSON.parse(answer.text);
}

function assertKeyReused(answer: Answer, dialect: Dialect): void {
  assert.equal(answer.status, 422, answer.text);
  const body = json(answer) as { error?: { code: string } };
  assert.equal(body.error?.code, dialect.name === 'envelope' ? 'IDEMPOTENCY_KEY_REUSED' : 'BadArgument');
}

/** Set-up and checks go through the envelope dialect without keys. */
async function createGroup(groupId: string): Promise<void> {
  assertOk(await send('PUT', `/largepersongroups/${groupId}`, { name: groupId }));
}

async function createPerson(groupId: string, name = 'p'): Promise<string> {
  const answer = await send('POST', `/largepersongroups/${groupId}/persons`, { name });
  assertOk(answer);
  return json(answer).data!.id as string;
}

async function addFace(groupId: string, personId: string, file: string): Promise<string> {
  const answer = await send('POST', `/largepersongroups/${groupId}/persons/${personId}/persistedfaces`, face(file));
  assertOk(answer);
  return json(answer).data!.id as string;
}

async function envelopeData(route: string): Promise<Record<string, unknown>> {
  const answer = await send('GET', route);
  assertOk(answer);
  return json(answer).data!;
}

function idOf(answer: Answer): string {
  const body = json(answer);
  return (body.data?.id ?? body.personId ?? body.persistedFaceId) as string;
}

describe('a repeated Idempotency-Key answers the first answer once, another request with it is 422', () => {
  for (const dialect of dialects) {
    const at = (route: string) => `${dialect.prefix}/largepersongroups${route}`;
    const group = (operation: string) => `${operation}-${dialect.name}`;

    test(`${dialect.name}: create group`, async () => {
      const groupId = group('create-group');
      const key = randomUUID();
      const first = await send('PUT', at(`/${groupId}`), { name: 'First' }, keyed(key));
      assertOk(first);
      assertSameAnswer(await send('PUT', at(`/${groupId}`), { name: 'First' }, keyed(key)), first);
      assertKeyReused(await send('PUT', at(`/${groupId}`), { name: 'Second' }, keyed(key)), dialect);
      assertKeyReused(await send('PUT', at(`/${groupId}-2`), { name: 'First' }, keyed(key)), dialect);
      assert.equal((await envelopeData(`/largepersongroups/${groupId}`)).name, 'First');
      assert.equal((await send('GET', `/largepersongroups/${groupId}-2`)).status, 404);
    });

    test(`${dialect.name}: update group`, async () => {
      const groupId = group('update-group');
      await createGroup(groupId);
      const key = randomUUID();
      const first = await send('PATCH', at(`/${groupId}`), { name: 'A' }, keyed(key));
      assertOk(first);
      assertOk(await send('PATCH', at(`/${groupId}`), { name: 'B' }));
      assertSameAnswer(await send('PATCH', at(`/${groupId}`), { name: 'A' }, keyed(key)), first);
      assert.equal((await envelopeData(`/largepersongroups/${groupId}`)).name, 'B', 'the replay wrote nothing');
      assertKeyReused(await send('PATCH', at(`/${groupId}`), { name: 'C' }, keyed(key)), dialect);
      assertKeyReused(await send('PATCH', at(`/${groupId}`), { name: 'A', userData: 'x' }, keyed(key)), dialect);
      assert.equal((await envelopeData(`/largepersongroups/${groupId}`)).name, 'B');
    });

    test(`${dialect.name}: delete group`, async () => {
      const groupId = group('delete-group');
      await createGroup(groupId);
      await createGroup(`${groupId}-2`);
      const key = randomUUID();
      const first = await send('DELETE', at(`/${groupId}`), undefined, keyed(key));
      assertOk(first);
      assertSameAnswer(await send('DELETE', at(`/${groupId}`), undefined, keyed(key)), first);
      assertKeyReused(await send('DELETE', at(`/${groupId}-2`), undefined, keyed(key)), dialect);
      assert.equal((await send('GET', `/largepersongroups/${groupId}-2`)).status, 200);
    });

    test(`${dialect.name}: create person`, async () => {
      const groupId = group('create-person');
      await createGroup(groupId);
      const key = randomUUID();
      // At once: the store work queue handles them side by side, and the later ones wait for the first.
      const [first, ...replays] = await Promise.all(
        [1, 2, 3].map(() => send('POST', at(`/${groupId}/persons`), { name: 'Ada' }, keyed(key))),
      );
      assertOk(first!);
      for (const replay of replays) assertSameAnswer(replay, first!);
      assertSameAnswer(await send('POST', at(`/${groupId}/persons`), { name: 'Ada' }, keyed(key)), first!);
      assertKeyReused(await send('POST', at(`/${groupId}/persons`), { name: 'Bob' }, keyed(key)), dialect);
      const persons = (await send('GET', `/largepersongroups/${groupId}/persons`).then(json)).data as unknown as {
        id: string;
      }[];
      assert.deepEqual(
        persons.map((person) => person.id),
        [idOf(first!)],
      );
    });

    test(`${dialect.name}: update person`, async () => {
      const groupId = group('update-person');
      await createGroup(groupId);
      const personId = await createPerson(groupId);
      const key = randomUUID();
      const route = at(`/${groupId}/persons/${personId}`);
      const first = await send('PATCH', route, { name: 'A' }, keyed(key));
      assertOk(first);
      assertOk(await send('PATCH', route, { name: 'B' }));
      assertSameAnswer(await send('PATCH', route, { name: 'A' }, keyed(key)), first);
      const person = `/largepersongroups/${groupId}/persons/${personId}`;
      assert.equal((await envelopeData(person)).name, 'B', 'the replay wrote nothing');
      assertKeyReused(await send('PATCH', route, { name: 'C' }, keyed(key)), dialect);
    });

    test(`${dialect.name}: delete person`, async () => {
      const groupId = group('delete-person');
      await createGroup(groupId);
      const [personId, otherId] = [await createPerson(groupId), await createPerson(groupId)];
      const key = randomUUID();
      const first = await send('DELETE', at(`/${groupId}/persons/${personId}`), undefined, keyed(key));
      assertOk(first);
      assertSameAnswer(await send('DELETE', at(`/${groupId}/persons/${personId}`), undefined, keyed(key)), first);
      assertKeyReused(await send('DELETE', at(`/${groupId}/persons/${otherId}`), undefined, keyed(key)), dialect);
      assert.equal((await send('GET', `/largepersongroups/${groupId}/persons/${otherId}`)).status, 200);
    });

    test(`${dialect.name}: add face`, async () => {
      const groupId = group('add-face');
      await createGroup(groupId);
      const personId = await createPerson(groupId);
      const key = randomUUID();
      const route = at(`/${groupId}/persons/${personId}/persistedfaces`);
      const first = await send('POST', route, face('hans_blix_01.jpg'), keyed(key));
      assertOk(first);
      assertSameAnswer(await send('POST', route, face('hans_blix_01.jpg'), keyed(key)), first);
      assertKeyReused(await send('POST', route, face('hans_blix_02.jpg'), keyed(key)), dialect);
      assertKeyReused(await send('POST', `${route}?userData=x`, face('hans_blix_01.jpg'), keyed(key)), dialect);
      const person = await envelopeData(`/largepersongroups/${groupId}/persons/${personId}`);
      assert.deepEqual(person.persisted_face_ids, [idOf(first)]);
    });

    test(`${dialect.name}: update face`, async () => {
      const groupId = group('update-face');
      await createGroup(groupId);
      const personId = await createPerson(groupId);
      const faceId = await addFace(groupId, personId, 'hans_blix_01.jpg');
      const key = randomUUID();
      const route = at(`/${groupId}/persons/${personId}/persistedfaces/${faceId}`);
      const first = await send('PATCH', route, { userData: 'a' }, keyed(key));
      assertOk(first);
      assertOk(await send('PATCH', route, { userData: 'b' }));
      assertSameAnswer(await send('PATCH', route, { userData: 'a' }, keyed(key)), first);
      const stored = `/largepersongroups/${groupId}/persons/${personId}/persistedfaces/${faceId}`;
      assert.equal((await envelopeData(stored)).user_data, 'b', 'the replay wrote nothing');
      assertKeyReused(await send('PATCH', route, { userData: 'c' }, keyed(key)), dialect);
    });

    test(`${dialect.name}: delete face`, async () => {
      const groupId = group('delete-face');
      await createGroup(groupId);
      const personId = await createPerson(groupId);
      const faceId = await addFace(groupId, personId, 'hans_blix_01.jpg');
      const otherId = await addFace(groupId, personId, 'hans_blix_02.jpg');
      const key = randomUUID();
      const faces = at(`/${groupId}/persons/${personId}/persistedfaces`);
      const first = await send('DELETE', `${faces}/${faceId}`, undefined, keyed(key));
      assertOk(first);
      assertSameAnswer(await send('DELETE', `${faces}/${faceId}`, undefined, keyed(key)), first);
      assertKeyReused(await send('DELETE', `${faces}/${otherId}`, undefined, keyed(key)), dialect);
      const person = await envelopeData(`/largepersongroups/${groupId}/persons/${personId}`);
      assert.deepEqual(person.persisted_face_ids, [otherId]);
    });

    test(`${dialect.name}: train`, async () => {
      const groupId = group('train');
      await createGroup(groupId);
      await createGroup(`${groupId}-2`);
      await addFace(groupId, await createPerson(groupId), 'hans_blix_01.jpg');
      const key = randomUUID();
      const first = await send('POST', at(`/${groupId}/train`), undefined, keyed(key));
      assertOk(first, 202);
      const status = `/largepersongroups/${groupId}/training`;
      let trained: Record<string, unknown> = {};
      await waitFor(
        async () => (trained = await envelopeData(status)).status === 'succeeded',
        60_000,
        'the training to succeed',
      );
      const replay = await send('POST', at(`/${groupId}/train`), undefined, keyed(key));
      assertSameAnswer(replay, first);
      assert.equal(replay.headers.get('operation-location'), first.headers.get('operation-location'));
      assert.deepEqual(await envelopeData(status), trained, 'the replay started no second training');
      assertKeyReused(await send('POST', at(`/${groupId}-2/train`), undefined, keyed(key)), dialect);
      assert.equal((await send('GET', `/largepersongroups/${groupId}-2/training`)).status, 404);
    });
  }
});

describe('without an Idempotency-Key every request is a write of its own', () => {
  for (const dialect of dialects) {
    test(`${dialect.name}: two writes under one x-request-id both apply, and the id still comes back`, async () => {
      const groupId = `request-id-${dialect.name}`;
      await createGroup(groupId);
      const traced = { 'x-request-id': `trace-${randomUUID()}` };
      const persons = await Promise.all(
        ['Ada', 'Bob'].map((name) =>
          send('POST', `${dialect.prefix}/largepersongroups/${groupId}/persons`, { name }, traced),
        ),
      );
      for (const answer of persons) assertOk(answer);
      assert.notEqual(idOf(persons[0]!), idOf(persons[1]!));

      const personId = idOf(persons[0]!);
      const route = `${dialect.prefix}/largepersongroups/${groupId}/persons/${personId}/persistedfaces`;
      const first = await send('POST', route, face('hans_blix_01.jpg'), traced);
      const second = await send('POST', route, face('hans_blix_02.jpg'), traced);
      assertOk(first);
      assertOk(second);
      assert.equal(second.headers.get('x-request-id'), traced['x-request-id']);
      const person = await envelopeData(`/largepersongroups/${groupId}/persons/${personId}`);
      assert.deepEqual(person.persisted_face_ids, [idOf(first), idOf(second)]);
    });
  }
});

describe('a key is remembered for 48 hours', () => {
  /** Moves a key's record past the retention and prunes it, as the store does every hour. */
  async function forget(key: string): Promise<void> {
    const [, aged] = (await dataSource.query(
      `UPDATE applied_write SET created_at = created_at - make_interval(hours => $2) WHERE request_id LIKE $1`,
      [`%:key:${key}`, appliedWriteRetentionHours + 1],
    )) as [unknown, number];
    assert.equal(aged, 1);
    assert.ok((await pruneAppliedWrites(dataSource, appliedWriteRetentionHours)) >= 1);
  }

  test('a pruned key used again adds a new face', async () => {
    const groupId = 'pruned-face';
    await createGroup(groupId);
    const personId = await createPerson(groupId);
    const route = `/largepersongroups/${groupId}/persons/${personId}/persistedfaces`;
    const key = randomUUID();
    const first = await send('POST', route, face('hans_blix_01.jpg'), keyed(key));
    assertOk(first);
    await forget(key);
    const again = await send('POST', route, face('hans_blix_02.jpg'), keyed(key));
    assertOk(again);
    assert.notEqual(idOf(again), idOf(first));
    const person = await envelopeData(`/largepersongroups/${groupId}/persons/${personId}`);
    assert.deepEqual(person.persisted_face_ids, [idOf(first), idOf(again)]);
  });

  test('a pruned key used again creates a new person', async () => {
    const groupId = 'pruned-person';
    await createGroup(groupId);
    const key = randomUUID();
    const first = await send('POST', `/largepersongroups/${groupId}/persons`, { name: 'Ada' }, keyed(key));
    assertOk(first);
    await forget(key);
    const again = await send('POST', `/largepersongroups/${groupId}/persons`, { name: 'Bob' }, keyed(key));
    assertOk(again);
    assert.notEqual(idOf(again), idOf(first));
  });
});

test('a second delivery of a write being applied waits for the first and answers its answer', async () => {
  const write = { requestId: `test:key:${randomUUID()}`, fingerprint: 'same request' };
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let started = () => {};
  const firstStarted = new Promise<void>((resolve) => (started = resolve));
  const first = applyOnce(dataSource, write, async () => {
    started();
    await released;
    return { answer: 'first' };
  });
  await firstStarted;
  let secondApplied = false;
  const second = applyOnce(dataSource, write, async () => {
    secondApplied = true;
    return { answer: 'second' };
  });
  const waitingOnLock = async () => {
    const [row] = (await dataSource.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    )) as { n: number }[];
    return row!.n > 0;
  };
  await waitFor(async () => secondApplied || (await waitingOnLock()), 10_000, 'the second delivery to reach Postgres');
  release();
  assert.deepEqual(await Promise.all([first, second]), [{ answer: 'first' }, { answer: 'first' }]);
  assert.equal(secondApplied, false);
});
