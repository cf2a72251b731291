/**
 * Trainings on a store with a small connection pool: one builds at a time (TRAINING_CONCURRENCY=1), the others
 * wait their turn while callers see them running, and reads (group get and list) keep answering within their
 * deadline all along.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EnvelopeApi } from './support/api';
import { seedFaces } from './support/seed';
import { Stack, waitFor } from './support/stack';

const groups = ['big-1', 'big-2', 'big-3', 'big-4'];
const facesPerGroup = 100_000;
const readDeadlineMs = 5_000;

let stack: Stack;
let api: EnvelopeApi;

before(async () => {
  stack = await Stack.start({
    env: { DATABASE_POOL_SIZE: '4', TRAINING_CONCURRENCY: '1', RPC_TIMEOUT_MS: String(readDeadlineMs) },
  });
  api = new EnvelopeApi(stack.baseUrl);
  const db = await stack.db();
  try {
    for (const [marker, groupId] of groups.entries()) {
      await api.createGroup(groupId);
      await seedFaces(db, groupId, { persons: 10_000, faces: facesPerGroup, marker });
    }
  } finally {
    await db.end();
  }
});

after(async () => stack?.stop());

async function trainingStatus(groupId: string): Promise<string> {
  const response = await api.call<{ status: string }>('GET', `/largepersongroups/${groupId}/training`);
  assert.equal(response.status, 200, `training status of ${groupId}: ${JSON.stringify(response.body)}`);
  return response.body.data!.status;
}

test('trainings build one at a time, queued ones report running, and reads answer within their deadline', async () => {
  for (const groupId of groups) {
    const started = await api.call<{ status: string }>('POST', `/largepersongroups/${groupId}/train`);
    assert.equal(started.status, 202, JSON.stringify(started.body));
  }
  const statuses = await Promise.all(groups.map(trainingStatus));
  assert.ok(
    statuses.filter((status) => status === 'running').length >= groups.length - 1,
    `right after the requests: ${statuses.join(', ')}`,
  );

  const db = await stack.db();
  const reads: { route: string; status: number; ms: number }[] = [];
  let mostBuilding = 0;
  try {
    await waitFor(
      async () => {
        // Groups with parts of the version being built: trainings past their turn and not yet finished.
        const [{ building }] = (
          await db.query(
            `SELECT count(DISTINCT c.group_id)::int AS building FROM training_snapshot_chunk c
             JOIN training t USING (tenant_id, kind, group_id)
             WHERE t.status = 'running' AND c.version = t.building_version`,
          )
        ).rows as [{ building: number }];
        mostBuilding = Math.max(mostBuilding, building);
        for (const route of ['/largepersongroups/big-1', '/largepersongroups']) {
          const started = performance.now();
          const response = await api.call('GET', route);
          reads.push({ route, status: response.status, ms: Math.round(performance.now() - started) });
        }
        const states = await Promise.all(groups.map(trainingStatus));
        return states.every((state) => state !== 'running');
      },
      600_000,
      'every training to finish',
    );
  } finally {
    await db.end();
  }
  for (const groupId of groups) {
    assert.equal(await trainingStatus(groupId), 'succeeded', groupId);
  }
  assert.equal(mostBuilding, 1, 'trainings building at once');
  const failed = reads.filter((read) => read.status !== 200);
  assert.deepEqual(failed, [], 'reads that did not answer in time');
  const slowest = Math.max(...reads.map((read) => read.ms));
  console.log(`${reads.length} reads during the trainings, slowest ${slowest} ms`);
});
