/**
 * Expired faceIds are purged in bounded batches until none is left, purge failures are logged and counted, and
 * concurrent
 * Detects of one tenant never pass its quota. The store's service against a real Postgres database, no broker.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Logger, type LoggerService } from '@nestjs/common';
import { VisageError } from '#contracts';
import { Metrics } from '#observability';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, openDatabase } from '../apps/store/src/database/data-source';
import { DetectedFacesModule } from '../apps/store/src/detected-faces/detected-faces.module';
import { DetectedFacesService } from '../apps/store/src/detected-faces/detected-faces.service';
import { Scheduler, type PeriodicJob, type ScheduledJob } from '../apps/store/src/scheduling/scheduler';
import { postgresUrl } from './support/stack';

const database = `visage_test_purge_${process.pid}`;
let dataSource: DataSource;

before(async () => {
  dataSource = await openDatabase(`${postgresUrl}/${database}`, 8);
});

after(async () => {
  await dataSource?.destroy().catch(() => undefined);
  const admin = new Client({ connectionString: `${postgresUrl}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
});

async function insertFaces(tenantId: string, count: number, expiresIn: string): Promise<void> {
  await dataSource.query(
    `INSERT INTO detected_face (face_id, tenant_id, recognition_model, embedding, expires_at)
     SELECT gen_random_uuid(), $1, 'recognition_04', '\\x00'::bytea, now() + $3::interval FROM generate_series(1, $2)`,
    [tenantId, count, expiresIn],
  );
  await dataSource.query(
    `INSERT INTO detected_face_tally AS tally (tenant_id, stored) VALUES ($1, $2)
     ON CONFLICT (tenant_id) DO UPDATE SET stored = tally.stored + $2`,
    [tenantId, count],
  );
}

async function tallies(): Promise<Record<string, number>> {
  const rows = (await dataSource.query(`SELECT tenant_id, stored FROM detected_face_tally`)) as {
    tenant_id: string;
    stored: number;
  }[];
  return Object.fromEntries(rows.map((row) => [row.tenant_id, row.stored]));
}

const embedding = new Float32Array(128).fill(0.1);

test('more than one batch of expired faceIds is purged in bounded batches, live ones stay', async () => {
  await insertFaces('purge-a', 180, '-1 minute');
  await insertFaces('purge-b', 70, '-1 hour');
  await insertFaces('purge-a', 3, '1 hour');
  const service = new DetectedFacesService(dataSource, { quota: 10, purgeBatchSize: 100 });
  assert.deepEqual(await service.purgeExpired(), { deleted: 250, batches: 3 });
  const [{ live, expired }] = (await dataSource.query(
    `SELECT count(*) FILTER (WHERE expires_at > now())::int AS live,
            count(*) FILTER (WHERE expires_at <= now())::int AS expired FROM detected_face`,
  )) as [{ live: number; expired: number }];
  assert.deepEqual({ live, expired }, { live: 3, expired: 0 });
  assert.deepEqual(await tallies(), { 'purge-a': 3, 'purge-b': 0 }, "purged faces leave their tenants' tallies");
  assert.deepEqual(await service.purgeExpired(), { deleted: 0, batches: 1 });
});

/** The app's scheduler, keeping the jobs it was given so a test can run one round of them. */
class RecordingScheduler extends Scheduler {
  readonly scheduled = new Map<string, ScheduledJob>();

  override every(job: PeriodicJob): ScheduledJob {
    const scheduled = super.every(job);
    this.scheduled.set(job.name, scheduled);
    return scheduled;
  }
}

async function failedRounds(job: string): Promise<number> {
  const { values } = await Metrics.periodicJobRuns.get();
  return values.find((v) => v.labels.job === job && v.labels.outcome === 'failed')?.value ?? 0;
}

test('a failing purge round is logged with its job name and counted, not swallowed nor thrown', async () => {
  const errors: string[] = [];
  const capture: LoggerService = { log() {}, warn() {}, debug() {}, error: (message: string) => errors.push(message) };
  Logger.overrideLogger(capture);
  const unopened = createDataSource(`${postgresUrl}/${database}`, 1);
  const scheduler = new RecordingScheduler();
  new DetectedFacesModule(
    new DetectedFacesService(unopened, { quota: 10, purgeBatchSize: 100 }),
    scheduler,
  ).onModuleInit();
  const failedBefore = await failedRounds('detected-face-purge');
  try {
    await scheduler.scheduled.get('detected-face-purge')!.runNow();
  } finally {
    Logger.overrideLogger(false);
    await scheduler.onApplicationShutdown();
  }
  assert.equal(errors.length, 1, JSON.stringify(errors));
  assert.match(errors[0]!, /Periodic job detected-face-purge failed: /);
  assert.equal(await failedRounds('detected-face-purge'), failedBefore + 1);
});

test('concurrent Detects of one tenant fill its quota exactly; other tenants are not affected', async () => {
  const service = new DetectedFacesService(dataSource, { quota: 10, purgeBatchSize: 100 });
  const save = (tenantId: string) =>
    service.save({ tenantId, recognitionModel: 'recognition_04', ttlSeconds: 600, embeddings: [embedding] });
  const results = await Promise.allSettled(Array.from({ length: 25 }, () => save('quota-a')));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
  for (const result of results.filter((r) => r.status === 'rejected')) {
    const error = (result as PromiseRejectedResult).reason as unknown;
    assert.ok(error instanceof VisageError && error.key === 'FACE_ID_QUOTA_REACHED', String(error));
  }
  const [{ n }] = (await dataSource.query(
    `SELECT count(*)::int AS n FROM detected_face WHERE tenant_id = 'quota-a'`,
  )) as [{ n: number }];
  assert.equal(n, 10);
  assert.equal((await save('quota-b')).faceIds.length, 1);
  assert.equal((await tallies())['quota-a'], 10);
});

test("at the quota, a Detect first purges the tenant's expired faceIds and fits if they made room", async () => {
  await insertFaces('expiring', 4, '-1 second');
  await insertFaces('expiring', 5, '1 hour');
  const service = new DetectedFacesService(dataSource, { quota: 9, purgeBatchSize: 100 });
  const save = (count: number) =>
    service.save({
      tenantId: 'expiring',
      recognitionModel: 'recognition_04',
      ttlSeconds: 600,
      embeddings: Array.from({ length: count }, () => embedding),
    });
  assert.equal((await save(4)).faceIds.length, 4);
  assert.equal((await tallies()).expiring, 9);
  await assert.rejects(
    save(1),
    (error: unknown) => error instanceof VisageError && error.key === 'FACE_ID_QUOTA_REACHED',
  );
  assert.equal((await tallies()).expiring, 9, 'a refused Detect takes nothing');
});
