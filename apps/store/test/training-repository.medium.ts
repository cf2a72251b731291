/**
 * TrainingRepository and SnapshotsRepository on their own: only a lease's holder renews or finishes it, expired
 * leases are taken over under a new token and version, and a collection keeps only the snapshot identify reads.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { GroupRef } from '#contracts';
import type { TrainingEntity } from '../src/database/entities';
import { CollectionsRepository } from '../src/groups/collections.repository';
import { encodeRows, type SnapshotPart } from '../src/training/snapshot-encoding';
import { SnapshotsRepository } from '../src/training/snapshots.repository';
import { TrainingRepository, type Lease } from '../src/training/training.repository';
import { refOf, StoreHarness } from './support/store-harness';

let store: StoreHarness;
let trainings: TrainingRepository;
let snapshots: SnapshotsRepository;

before(async () => {
  store = await StoreHarness.open();
  trainings = new TrainingRepository(store.dataSource.manager);
  snapshots = new SnapshotsRepository(store.dataSource.manager);
});

after(async () => {
  await store?.close();
});

/** A collection whose training is running under a fresh lease of `leaseMs` (negative: expired already). */
async function running(ref: GroupRef, leaseMs = 60_000): Promise<Lease> {
  await store.createCollection(ref);
  const now = new Date();
  const training: TrainingEntity & Lease = {
    ...ref,
    status: 'running',
    message: null,
    lastActionAt: now,
    lastSuccessAt: null,
    snapshotVersion: 0,
    snapshotId: null,
    buildingVersion: 1,
    leaseUntil: new Date(now.getTime() + leaseMs),
    leaseToken: randomUUID(),
  };
  await trainings.save(training);
  return training;
}

function part(personIds: string[]): SnapshotPart {
  const dimension = 4;
  const matrix = Float32Array.from({ length: personIds.length * dimension }, (_, i) => ((i * 7) % 5) - 2);
  return encodeRows(dimension, personIds, matrix)[0]!;
}

test('only the holder of a lease renews it', async () => {
  const lease = await running(refOf('alpha', 'largePersonGroup', 'renew'));

  assert.equal(await trainings.renewLease(lease, 60_000), true);
  assert.equal(await trainings.renewLease({ ...lease, leaseToken: randomUUID() }, 60_000), false);
  assert.equal(await trainings.renewLease({ ...lease, buildingVersion: 2 }, 60_000), false);
});

test('an expired lease is taken over under a new token and the next version; a live one is not', async () => {
  const expired = await running(refOf('alpha', 'largePersonGroup', 'expired'), -1_000);
  await running(refOf('alpha', 'largePersonGroup', 'live'));

  const claimed = await trainings.claimAbandoned(60_000);

  const mine = claimed.filter((lease) => ['expired', 'live'].includes(lease.groupId));
  assert.deepEqual(
    mine.map((lease) => [lease.groupId, lease.buildingVersion]),
    [['expired', 2]],
  );
  assert.notEqual(mine[0]!.leaseToken, expired.leaseToken);
  assert.equal(await trainings.renewLease(expired, 60_000), false, 'the old holder lost it');
  assert.deepEqual(await trainings.claimAbandoned(60_000), [], 'taken over once');
});

test('a success makes the built version the snapshot, under a new id, and ends the lease', async () => {
  const ref = refOf('alpha', 'largeFaceList', 'finish');
  const lease = await running(ref);
  const snapshotId = randomUUID();

  assert.equal(await trainings.finish(lease, { status: 'succeeded', message: null, snapshotId }), true);

  const training = (await trainings.find(ref))!;
  assert.deepEqual(
    [training.status, training.snapshotVersion, training.snapshotId, training.leaseToken],
    ['succeeded', 1, snapshotId, null],
  );
  assert.ok(training.lastSuccessAt);
  assert.equal(await trainings.finish(lease, { status: 'failed', message: 'late', snapshotId: randomUUID() }), false);
});

test('a search is told whether entries were deleted since the count its training began from', async () => {
  const ref = refOf('alpha', 'largeFaceList', 'deletions');
  const lease = await running(ref);
  const collections = new CollectionsRepository(store.dataSource.manager);
  await collections.countEntryDeleted(ref);
  const entriesDeleted = await collections.entriesDeleted(ref);
  assert.equal(entriesDeleted, '1');
  await trainings.finish(lease, { status: 'succeeded', message: null, snapshotId: randomUUID(), entriesDeleted });

  assert.equal((await trainings.searchTarget(ref))!.deletedSinceTraining, false);
  await collections.countEntryDeleted(ref);
  assert.equal((await trainings.searchTarget(ref))!.deletedSinceTraining, true);

  // A training that recorded no count (as before counts were kept) is never taken as unchanged.
  const unknown = refOf('alpha', 'largeFaceList', 'deletions-unknown');
  await trainings.finish(await running(unknown), { status: 'succeeded', message: null, snapshotId: randomUUID() });
  assert.equal((await trainings.searchTarget(unknown))!.deletedSinceTraining, true);
});

test('a failure keeps the last snapshot; a lease no longer held records nothing', async () => {
  const ref = refOf('alpha', 'personGroup', 'fail');
  const lease = await running(ref);

  assert.equal(
    await trainings.finish(
      { ...lease, leaseToken: randomUUID() },
      { status: 'failed', message: 'x', snapshotId: randomUUID() },
    ),
    false,
  );
  assert.equal((await trainings.find(ref))!.status, 'running');
  assert.equal(
    await trainings.finish(lease, { status: 'failed', message: 'No faces.', snapshotId: randomUUID() }),
    true,
  );
  const training = (await trainings.find(ref))!;
  assert.deepEqual([training.status, training.message, training.snapshotId], ['failed', 'No faces.', null]);
});

test('a part reads back as it was saved, parts in order', async () => {
  const ref = refOf('alpha', 'largePersonGroup', 'parts');
  await store.createCollection(ref);
  const first = part([randomUUID(), randomUUID()]);
  const second = part([randomUUID()]);
  await snapshots.savePart(ref, 3, 1, second);
  await snapshots.savePart(ref, 3, 0, first);

  const loaded = await snapshots.loadParts(ref, 3);

  assert.deepEqual(loaded, [first, second]);
  assert.deepEqual(await snapshots.loadParts(ref, 4), []);
});

test('a collection keeps only the version its training points at; a build that lost its lease leaves nothing', async () => {
  const ref = refOf('alpha', 'largePersonGroup', 'versions');
  const lease = await running(ref);
  for (const version of [1, 2, 3]) await snapshots.savePart(ref, version, 0, part([randomUUID()]));
  await trainings.finish(lease, { status: 'succeeded', message: null, snapshotId: randomUUID() });

  await snapshots.discardAbandoned(ref, 1);
  await snapshots.discardAbandoned(ref, 3);
  const afterDiscard = await store.query<{ version: number }>(
    `SELECT DISTINCT version FROM training_snapshot_chunk WHERE group_id = 'versions' ORDER BY version`,
  );
  await snapshots.keepOnlyTrained(ref);
  const afterKeep = await store.query<{ version: number }>(
    `SELECT DISTINCT version FROM training_snapshot_chunk WHERE group_id = 'versions' ORDER BY version`,
  );

  assert.deepEqual(
    afterDiscard.map((row) => row.version),
    [1, 2],
    'version 1 is the snapshot: kept',
  );
  assert.deepEqual(
    afterKeep.map((row) => row.version),
    [1],
  );
});

test('the current snapshots of collections: those trained, with the id identify caches them by', async () => {
  const trained = refOf('alpha', 'largeFaceList', 'current');
  const untrained = refOf('alpha', 'largeFaceList', 'untrained');
  await store.createCollection(untrained);
  const lease = await running(trained);
  const snapshotId = randomUUID();
  await trainings.finish(lease, { status: 'succeeded', message: null, snapshotId });

  assert.deepEqual(await trainings.currentSnapshots([trained, untrained]), [{ ...trained, snapshotId }]);
});
