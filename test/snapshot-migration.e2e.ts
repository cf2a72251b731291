/**
 * Snapshots trained before snapshots were stored encoded are converted by the migration, so a trained group
 * keeps answering identify across the upgrade. Runs the real migrations on a fresh Postgres database.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { float32ToLittleEndian } from '#contracts';
import { entities } from '../apps/store/src/database/entities';
import { migrations } from '../apps/store/src/migrations';
import { SnapshotsRepository } from '../apps/store/src/training/snapshots.repository';
import { TrainingSnapshot } from '../apps/store/src/training/training-snapshot';
import { postgresUrl } from './support/stack';

const database = `visage_test_migration_${process.pid}`;
const admin = new Client({ connectionString: `${postgresUrl}/postgres` });
let dataSource: DataSource;

before(async () => {
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
});

after(async () => {
  await dataSource?.destroy().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
});

function open(upTo: number): DataSource {
  return new DataSource({
    type: 'postgres',
    url: `${postgresUrl}/${database}`,
    entities,
    migrations: migrations.slice(0, upTo),
    migrationsTableName: 'schema_migration',
  });
}

test('a float32 snapshot of the earlier schema is converted and ranks as before', async () => {
  const legacy = await open(2).initialize();
  await legacy.runMigrations();
  const group = { tenantId: 'tenant-a', kind: 'largePersonGroup' as const, groupId: 'group-a' };
  await legacy.query(
    `INSERT INTO large_person_group (tenant_id, group_id, name, recognition_model, created_at, updated_at)
     VALUES ($1, $2, 'g', 'recognition_04', now(), now())`,
    [group.tenantId, group.groupId],
  );
  // 3 persons, 5 faces in 2 chunks, a person's faces split over both chunks: the old layout allowed it.
  const [ann, bob, cat] = [randomUUID(), randomUUID(), randomUUID()];
  const chunks = [
    {
      persons: [ann, bob, ann],
      vectors: [
        [1, 0, 0],
        [0, 1, 0],
        [0.6, 0.8, 0],
      ],
    },
    {
      persons: [cat, bob],
      vectors: [
        [0, 0, 1],
        [0, 0.8, 0.6],
      ],
    },
  ];
  for (const [chunk, { persons, vectors }] of chunks.entries()) {
    await legacy.query(
      `INSERT INTO training_snapshot_chunk (tenant_id, group_id, version, chunk, person_ids, embeddings)
       VALUES ($1, $2, 3, $3, $4, $5)`,
      [group.tenantId, group.groupId, chunk, persons, float32ToLittleEndian(Float32Array.from(vectors.flat()))],
    );
  }
  await legacy.destroy();

  dataSource = await open(migrations.length).initialize();
  await dataSource.runMigrations();
  const parts = await new SnapshotsRepository(dataSource.manager).loadParts(group, 3);
  const snapshot = TrainingSnapshot.fromParts(3, parts);
  assert.equal(snapshot.rows, 5);
  assert.equal(snapshot.dimension, 3);
  assert.deepEqual([...snapshot.personIds].sort(), [ann, bob, cat].sort());
  const ranking = await snapshot.rank(new Float32Array([0, 0.6, 0.8]), 0, 10);
  const ranked = ranking.persons.map((p) => [snapshot.personIds[p.person], Math.round(p.similarity * 1000) / 1000]);
  assert.deepEqual(ranked, [
    [bob, 0.96],
    [cat, 0.8],
    [ann, 0.48],
  ]);
  const [{ count }] = (await dataSource.query(
    `SELECT count(*)::int AS count FROM information_schema.tables WHERE table_name = 'training_snapshot_chunk_float32'`,
  )) as [{ count: number }];
  assert.equal(count, 0, 'the old table is gone');
});
