/**
 * A collection's training: its status, the snapshot identify reads (version and id of the last success), and
 * the lease of the build running now. Only the lease's holder, known by its token, can renew or finish it.
 */
import type { GroupRef, RecognitionModel } from '#contracts';
import { TrainingEntity } from '../database/entities';
import { affectedBy, returnedBy, rowsOf, type Db } from '../database/sql';

/** The running training one build works on, as its store process holds it. */
export type Lease = Pick<TrainingEntity, 'tenantId' | 'kind' | 'groupId' | 'buildingVersion'> & { leaseToken: string };

/** A training's snapshot, as identify knows it. */
export interface TrainedSnapshotRef extends GroupRef {
  snapshotId: string;
}

/** The lease is still the one its holder took: same build, same token, training still running. */
const leaseHeld = `
  tenant_id = :tenantId AND kind = :kind AND group_id = :groupId
  AND building_version = :buildingVersion AND lease_token = :leaseToken AND status = 'running'`;

/**
 * Takes over the trainings whose lease expired (their store process went away), under a new token and a new
 * building version: the process that lost the lease may still be writing the old version's parts.
 */
const claimAbandoned = `
UPDATE training
SET lease_until = now() + make_interval(secs => :leaseMs::double precision / 1000),
    lease_token = gen_random_uuid(),
    building_version = building_version + 1
WHERE status = 'running' AND lease_until < now()
RETURNING tenant_id, kind, group_id, building_version, lease_token`;

const renewLease = `
UPDATE training SET lease_until = now() + make_interval(secs => :leaseMs::double precision / 1000)
WHERE ${leaseHeld}`;

/** Ends the build; a success makes its version the snapshot identify reads, under a new snapshot id. */
const finish = `
UPDATE training
SET status = :status, message = :message, last_action_at = now(), lease_until = NULL, lease_token = NULL,
    snapshot_version = CASE WHEN :succeeded THEN building_version ELSE snapshot_version END,
    snapshot_id = CASE WHEN :succeeded THEN :snapshotId::uuid ELSE snapshot_id END,
    snapshot_entries_deleted = CASE WHEN :succeeded THEN :entriesDeleted::bigint ELSE snapshot_entries_deleted END,
    last_success_at = CASE WHEN :succeeded THEN now() ELSE last_success_at END
WHERE ${leaseHeld}`;

/** The snapshot ids of these collections' trainings. */
const snapshotIds = `
SELECT t.tenant_id, t.kind, t.group_id, t.snapshot_id FROM training t
JOIN unnest(:tenantIds::text[], :kinds::text[], :groupIds::text[]) AS h(tenant_id, kind, group_id)
  USING (tenant_id, kind, group_id)`;

/** A collection's recognition model and its training's snapshot (nulls before any training): what a search needs. */
const searchTarget = `
SELECT c.recognition_model, t.status, t.snapshot_version, t.snapshot_id,
  t.snapshot_entries_deleted IS DISTINCT FROM c.entries_deleted AS deleted_since_training
FROM collection c
LEFT JOIN training t USING (tenant_id, kind, group_id)
WHERE c.tenant_id = :tenantId AND c.kind = :kind AND c.group_id = :groupId`;

/** What identify and find similar search: a collection's model and its last successful training, if any. */
export interface SearchTarget {
  recognitionModel: RecognitionModel;
  status: TrainingEntity['status'] | null;
  /** 0 until a training succeeds. */
  snapshotVersion: number;
  snapshotId: string | null;
  /**
   * Entries (persons, or a face list's faces) may have been deleted since the last successful training began
   * reading: a search checks that what it finds still exists.
   */
  deletedSinceTraining: boolean;
}

interface ClaimedRow {
  tenant_id: string;
  kind: TrainingEntity['kind'];
  group_id: string;
  building_version: number;
  lease_token: string;
}

export class TrainingRepository {
  constructor(private readonly db: Db) {}

  /** The collection's model and training in one statement; null when there is no such collection. */
  async searchTarget(ref: GroupRef): Promise<SearchTarget | null> {
    const [row] = await rowsOf<{
      recognition_model: RecognitionModel;
      status: SearchTarget['status'];
      snapshot_version: number | null;
      snapshot_id: string | null;
      deleted_since_training: boolean;
    }>(this.db, searchTarget, { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId });
    if (!row) return null;
    return {
      recognitionModel: row.recognition_model,
      status: row.status,
      snapshotVersion: row.snapshot_version ?? 0,
      snapshotId: row.snapshot_id,
      deletedSinceTraining: row.deleted_since_training,
    };
  }

  async find(ref: GroupRef): Promise<TrainingEntity | null> {
    return this.db.findOne(TrainingEntity, {
      where: { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId },
    });
  }

  /** Inserts the collection's training, or replaces its only row. */
  async save(training: TrainingEntity): Promise<void> {
    await this.db.save(TrainingEntity, training);
  }

  async claimAbandoned(leaseMs: number): Promise<Lease[]> {
    const claimed = await returnedBy<ClaimedRow>(this.db, claimAbandoned, { leaseMs });
    return claimed.map((row) => ({
      tenantId: row.tenant_id,
      kind: row.kind,
      groupId: row.group_id,
      buildingVersion: row.building_version,
      leaseToken: row.lease_token,
    }));
  }

  /** False when the lease is no longer this holder's (taken over, or the training is gone with its collection). */
  async renewLease(lease: Lease, leaseMs: number): Promise<boolean> {
    return (await affectedBy(this.db, renewLease, { ...lease, leaseMs })) === 1;
  }

  /**
   * False when the lease is no longer this holder's; nothing is recorded then. A success records
   * `entriesDeleted`, the collection's count of deleted entries read before the build read its faces.
   */
  async finish(
    lease: Lease,
    outcome: {
      status: 'succeeded' | 'failed';
      message: string | null;
      snapshotId: string;
      entriesDeleted?: string | null;
    },
  ) {
    const succeeded = outcome.status === 'succeeded';
    const entriesDeleted = outcome.entriesDeleted ?? null;
    return (await affectedBy(this.db, finish, { ...lease, ...outcome, succeeded, entriesDeleted })) === 1;
  }

  /** The snapshot each of these collections' trainings points at now; collections without one are left out. */
  async currentSnapshots(refs: GroupRef[]): Promise<TrainedSnapshotRef[]> {
    const rows = await rowsOf<{ tenant_id: string; kind: GroupRef['kind']; group_id: string; snapshot_id: string }>(
      this.db,
      snapshotIds,
      {
        tenantIds: refs.map((ref) => ref.tenantId),
        kinds: refs.map((ref) => ref.kind),
        groupIds: refs.map((ref) => ref.groupId),
      },
    );
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      kind: row.kind,
      groupId: row.group_id,
      snapshotId: row.snapshot_id,
    }));
  }
}
