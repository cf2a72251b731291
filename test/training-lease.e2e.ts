/**
 * A training that lost its lease never finishes: a store process that stalled past its lease while another
 * took the training over must not mark it done (nor mix its snapshot parts with the new owner's). Two training
 * services, as two store processes, on a fresh Postgres database with the real migrations; Postgres row locks
 * stand in for a stalled process.
 */
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client } from 'pg';
import { Metrics } from '#observability';
import { createDataSource } from '../apps/store/src/database/data-source';
import { GroupDeletions } from '../apps/store/src/groups/group-deletions';
import { GroupsService } from '../apps/store/src/groups/groups.service';
import { Scheduler } from '../apps/store/src/scheduling/scheduler';
import { TrainingService } from '../apps/store/src/training/training.service';
import { seedFaces } from './support/seed';
import { postgresUrl, waitFor } from './support/stack';
import type { DataSource } from 'typeorm';

const database = `visage_test_lease_${process.pid}`;
const admin = new Client({ connectionString: `${postgresUrl}/postgres` });
let dataSource: DataSource;
const sessions: Client[] = [];

before(async () => {
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  dataSource = createDataSource(`${postgresUrl}/${database}`, 8);
  await dataSource.initialize();
  await dataSource.runMigrations();
});

after(async () => {
  for (const session of sessions) await session.end().catch(() => undefined);
  await dataSource?.destroy().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
});

function storeProcess(): TrainingService {
  return new TrainingService(
    dataSource,
    { leaseMs: 60_000, concurrency: 1 },
    new GroupsService(dataSource, new GroupDeletions()),
    new Scheduler(),
  );
}

async function trainingsEnded(outcome: string): Promise<number> {
  const { values } = await Metrics.trainingDuration.get();
  return values.find((v) => v.metricName?.endsWith('_count') && v.labels.outcome === outcome)?.value ?? 0;
}

async function seedGroup(groupId: string, marker: number): Promise<void> {
  await dataSource.query(
    `INSERT INTO collection (tenant_id, kind, group_id, name, recognition_model, created_at, updated_at)
     VALUES ('default', 'largePersonGroup', $1, $1, 'recognition_01', now(), now())`,
    [groupId],
  );
  await seedFaces(dataSource, groupId, { persons: 10, faces: 100, marker });
}

/** Makes a training of `groupId` stall where it clears its parts: a session holds a lock on one of them. */
async function stallTrainingOf(groupId: string): Promise<Client> {
  await dataSource.query(
    `INSERT INTO training_snapshot_chunk (tenant_id, kind, group_id, version, chunk, person_ids, face_counts, codes,
       residual_codes, scales, residual_scales, row_norm, residual_norm, refined_residual_norm)
     VALUES ('default', 'largePersonGroup', $1, 1, 0, '{}', '{}', '', '', '', '', 0, 0, 0)`,
    [groupId],
  );
  const session = new Client({ connectionString: `${postgresUrl}/${database}` });
  await session.connect();
  sessions.push(session);
  await session.query('BEGIN');
  await session.query(`SELECT 1 FROM training_snapshot_chunk WHERE group_id = $1 FOR UPDATE`, [groupId]);
  return session;
}

async function stalledTrainings(): Promise<number> {
  const [{ waiting }] = (await dataSource.query(
    `SELECT count(*)::int AS waiting FROM pg_stat_activity
     WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM training_snapshot_chunk%'`,
    [database],
  )) as [{ waiting: number }];
  return waiting;
}

test('a store whose lease was taken over stops; the store that took it finishes, once', async () => {
  const group = (groupId: string) => ({
    tenantId: 'default',
    kind: 'largePersonGroup' as const,
    groupId,
    requestId: randomUUID(),
    fingerprint: 'train',
  });
  for (const [marker, groupId] of ['g', 'h', 'k'].entries()) await seedGroup(groupId, marker);
  const lostBefore = await trainingsEnded('lease_lost');

  // The first store (one training at a time) stalls on h; g waits for its slot, running to callers.
  const holdH = await stallTrainingOf('h');
  const first = storeProcess();
  assert.equal((await first.start(group('h'))).status, 'running');
  await waitFor(async () => (await stalledTrainings()) === 1, 10_000, 'the first store to stall on h');
  assert.equal((await first.start(group('g'))).status, 'running');

  // g's lease lapses (as if the first store had stalled past it); a second store, stalled on k, claims g.
  const holdK = await stallTrainingOf('k');
  const second = storeProcess();
  await second.start(group('k'));
  await waitFor(async () => (await stalledTrainings()) === 2, 10_000, 'the second store to stall on k');
  await dataSource.query(`UPDATE training SET lease_until = now() - interval '1 second' WHERE group_id = 'g'`);
  await second.resumeAbandoned();

  // The first store comes to g while the second still holds it: it must stop, not finish g.
  await holdH.query('ROLLBACK');
  await waitFor(async () => (await trainingsEnded('lease_lost')) === lostBefore + 1, 10_000, 'the first store to stop');
  assert.equal((await first.status(group('h'))).status, 'succeeded');
  assert.equal((await first.status(group('g'))).status, 'running');

  await holdK.query('ROLLBACK');
  await waitFor(async () => (await second.status(group('g'))).status !== 'running', 10_000, 'the second store');
  const [g] = (await dataSource.query(
    `SELECT status, snapshot_version, snapshot_id, lease_token FROM training WHERE group_id = 'g'`,
  )) as [{ status: string; snapshot_version: number; snapshot_id: string | null; lease_token: string | null }];
  assert.equal(g.status, 'succeeded');
  assert.ok(g.snapshot_id);
  assert.equal(g.lease_token, null);
  const versions = (await dataSource.query(
    `SELECT DISTINCT version FROM training_snapshot_chunk WHERE group_id = 'g'`,
  )) as { version: number }[];
  assert.deepEqual(
    versions.map((row) => row.version),
    [g.snapshot_version],
  );
});
