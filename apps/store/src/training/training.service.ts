/**
 * Training turns a group's faces into a versioned snapshot. It runs in the background of the store process
 * that accepted it, under a lease it keeps renewing; if that process dies, another store takes the expired
 * lease over and runs the training again, so a training is never left "running" forever. The lease carries a
 * token only its holder knows: a process that lost the lease (stalled past it) cannot renew or finish it.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Collections,
  trainingErrorsOf,
  VisageError,
  type GroupRef,
  type IdempotentWrite,
  type TrainingStatusView,
  littleEndianToFloat32,
} from '#contracts';
import { Metrics } from '#observability';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { TrainingEntity, type CollectionEntity } from '../database/entities';
import { GroupsService } from '../groups/groups.service';
import { applyOnce } from '../idempotency/applied-writes';
import { SnapshotEncoder, snapshotPartRows, type SnapshotPart } from './snapshot-encoding';
import { saveSnapshotPart } from './snapshot-storage';
import { TrainingSlots } from './training-slots';

export interface TrainingOptions {
  /** Length of the lease a running training renews. */
  leaseMs: number;
  /** Trainings building at once in this process. */
  concurrency: number;
}

export const TRAINING_OPTIONS = Symbol('TRAINING_OPTIONS');

/** The running training one build works on, as its store process holds it. */
type Lease = Pick<TrainingEntity, 'tenantId' | 'kind' | 'groupId' | 'buildingVersion'> & { leaseToken: string };

@Injectable()
export class TrainingService {
  private readonly logger = new Logger('training');
  private readonly leaseMs: number;
  private readonly slots: TrainingSlots;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TRAINING_OPTIONS) options: TrainingOptions,
    private readonly groups: GroupsService,
  ) {
    this.leaseMs = options.leaseMs;
    this.slots = new TrainingSlots(options.concurrency);
  }

  async start(ref: GroupRef & IdempotentWrite): Promise<TrainingStatusView> {
    let started: TrainingEntity | undefined;
    const view = await applyOnce(this.dataSource, ref, async (manager) => {
      const group = await this.groups.require(manager, ref, 'update');
      const prior = await manager.findOne(TrainingEntity, { where: trainingOf(ref) });
      if (prior?.status === 'running') throw new VisageError(trainingErrorsOf(ref.kind).inProgress);
      const now = new Date();
      const training: TrainingEntity = {
        tenantId: ref.tenantId,
        kind: ref.kind,
        groupId: ref.groupId,
        status: 'running',
        message: null,
        lastActionAt: now,
        lastSuccessAt: prior?.lastSuccessAt ?? null,
        snapshotVersion: prior?.snapshotVersion ?? 0,
        snapshotId: prior?.snapshotId ?? null,
        buildingVersion: Math.max(prior?.snapshotVersion ?? 0, prior?.buildingVersion ?? 0) + 1,
        leaseUntil: new Date(now.getTime() + this.leaseMs),
        leaseToken: randomUUID(),
      };
      await manager.save(TrainingEntity, training);
      started = training;
      return statusView(group, training);
    });
    // A replay answers the first 202 and starts nothing.
    if (started) void this.build({ ...started, leaseToken: started.leaseToken! });
    return view;
  }

  async status(ref: GroupRef): Promise<TrainingStatusView> {
    const group = await this.groups.require(this.dataSource.manager, ref);
    const training = await this.dataSource.getRepository(TrainingEntity).findOne({ where: trainingOf(ref) });
    if (!training) throw new VisageError(trainingErrorsOf(ref.kind).neverTrained);
    return statusView(group, training);
  }

  /**
   * Claims trainings whose store process went away (lease expired) and runs them again here, under a new token
   * and a new building version: the process that lost the lease may still be writing the old version's parts.
   */
  async resumeAbandoned(): Promise<void> {
    // TypeORM answers an UPDATE with [returned rows, affected count].
    const [claimed] = (await this.dataSource.query(
      `UPDATE training SET lease_until = now() + make_interval(secs => $1::double precision / 1000),
         lease_token = gen_random_uuid(), building_version = building_version + 1
       WHERE status = 'running' AND lease_until < now()
       RETURNING tenant_id, kind, group_id, building_version, lease_token`,
      [this.leaseMs],
    )) as [ClaimedTraining[], number];
    for (const row of claimed) {
      this.logger.warn(`Resuming the abandoned training of group ${row.group_id}`);
      void this.build({
        tenantId: row.tenant_id,
        kind: row.kind,
        groupId: row.group_id,
        buildingVersion: row.building_version,
        leaseToken: row.lease_token,
      });
    }
  }

  private async build(lease: Lease): Promise<void> {
    const { tenantId, kind, groupId, buildingVersion: version } = lease;
    let lost = false;
    const holdLease = () => {
      if (lost) throw new LeaseLost();
    };
    // Renewed while waiting for a slot too: a waiting training is still running to its callers.
    const renew = setInterval(
      () =>
        void this.renewLease(lease).then(
          (held) => (lost ||= !held),
          (error: Error) =>
            this.logger.warn(`Could not renew the training lease of group ${groupId}: ${error.message}`),
        ),
      this.leaseMs / 3,
    );
    const release = await this.slots.acquire();
    const stopTimer = Metrics.trainingDuration.startTimer();
    try {
      // The wait for a slot may have outlasted the lease.
      lost ||= !(await this.renewLease(lease));
      holdLease();
      await this.dataSource.query(
        'DELETE FROM training_snapshot_chunk WHERE tenant_id = $1 AND kind = $2 AND group_id = $3 AND version = $4',
        [tenantId, kind, groupId, version],
      );
      // One cursor over the group's faces, a single consistent read fetched in chunks; by person, because the
      // encoded snapshot keeps each person's faces together. A face list's faces stand for themselves: each is
      // an entry of its own, as a person with one face.
      const reader = this.dataSource.createQueryRunner();
      let encoder: SnapshotEncoder | undefined;
      let chunk = 0;
      let rows = 0;
      const save = async (part: SnapshotPart | undefined) => {
        holdLease();
        if (part) await saveSnapshotPart(this.dataSource.manager, lease, version, chunk++, part);
      };
      try {
        await reader.connect();
        await reader.startTransaction();
        await reader.query(
          `DECLARE group_faces NO SCROLL CURSOR FOR
           SELECT coalesce(person_id, persisted_face_id) AS entry_id, embedding FROM persisted_face
           WHERE tenant_id = $1 AND kind = $2 AND group_id = $3 ORDER BY entry_id`,
          [tenantId, kind, groupId],
        );
        for (;;) {
          const faces: { entry_id: string; embedding: Buffer }[] = await reader.query(
            `FETCH ${snapshotPartRows} FROM group_faces`,
          );
          if (faces.length === 0) break;
          for (const face of faces) {
            const vector = littleEndianToFloat32(face.embedding);
            encoder ??= new SnapshotEncoder(vector.length, snapshotPartRows);
            await save(encoder.add(face.entry_id, vector));
          }
          rows += faces.length;
        }
        await save(encoder?.finish());
        await reader.commitTransaction();
      } finally {
        if (reader.isTransactionActive) await reader.rollbackTransaction().catch(() => undefined);
        await reader.release();
      }
      if (rows === 0) throw new TrainingFailure(`There is no face in the ${Collections[kind].title.toLowerCase()}.`);
      if (!(await this.finish(lease, 'succeeded', null))) throw new LeaseLost();
      stopTimer({ outcome: 'succeeded' });
      this.logger.log(`Trained group ${groupId}: ${rows} faces, snapshot version ${version}`);
    } catch (error) {
      if (error instanceof LeaseLost) {
        this.logger.warn(
          `The training of group ${groupId} is no longer this process's (another store process took it over, ` +
            'or the group was deleted); stopped here',
        );
        await this.discardParts(lease).catch((error: Error) =>
          this.logger.warn(`Could not delete the parts of an abandoned training of ${groupId}: ${error.message}`),
        );
        stopTimer({ outcome: 'lease_lost' });
        return;
      }
      const message = error instanceof TrainingFailure ? error.message : 'Training failed; retry.';
      if (!(error instanceof TrainingFailure))
        this.logger.error(`Training of ${groupId} failed: ${(error as Error).message}`);
      await this.finish(lease, 'failed', message).catch((error: Error) =>
        this.logger.error(`Could not record the failed training of ${groupId}: ${error.message}`),
      );
      stopTimer({ outcome: 'failed' });
    } finally {
      clearInterval(renew);
      release();
    }
  }

  /** Records the outcome if this process still holds the lease; false when another process took it over. */
  private async finish(lease: Lease, status: 'succeeded' | 'failed', message: string | null): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const succeeded = status === 'succeeded';
      const [, updated] = (await manager.query(
        `UPDATE training SET status = $5, message = $6, last_action_at = now(), lease_until = NULL, lease_token = NULL,
           snapshot_version = CASE WHEN $7 THEN building_version ELSE snapshot_version END,
           snapshot_id = CASE WHEN $7 THEN $8::uuid ELSE snapshot_id END,
           last_success_at = CASE WHEN $7 THEN now() ELSE last_success_at END
         WHERE tenant_id = $1 AND kind = $9 AND group_id = $2 AND building_version = $3 AND lease_token = $4
           AND status = 'running'`,
        [
          lease.tenantId,
          lease.groupId,
          lease.buildingVersion,
          lease.leaseToken,
          status,
          message,
          succeeded,
          randomUUID(),
          lease.kind,
        ],
      )) as [unknown, number];
      if (updated === 0) return false;
      // Keep only the snapshot identify reads.
      await manager.query(
        `DELETE FROM training_snapshot_chunk c USING training t
         WHERE c.tenant_id = $1 AND c.kind = $2 AND c.group_id = $3
           AND (t.tenant_id, t.kind, t.group_id) = (c.tenant_id, c.kind, c.group_id) AND c.version <> t.snapshot_version`,
        [lease.tenantId, lease.kind, lease.groupId],
      );
      return true;
    });
  }

  /** Extends the lease if this process still holds it; false when another process took it over. */
  private async renewLease(lease: Lease): Promise<boolean> {
    const [, updated] = (await this.dataSource.query(
      `UPDATE training SET lease_until = now() + make_interval(secs => $5::double precision / 1000)
       WHERE tenant_id = $1 AND kind = $6 AND group_id = $2 AND building_version = $3 AND lease_token = $4
         AND status = 'running'`,
      [lease.tenantId, lease.groupId, lease.buildingVersion, lease.leaseToken, this.leaseMs, lease.kind],
    )) as [unknown, number];
    return updated === 1;
  }

  /** The parts a build wrote before it lost its lease: no training will ever point at their version. */
  private async discardParts(lease: Lease): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM training_snapshot_chunk c WHERE c.tenant_id = $1 AND c.kind = $4 AND c.group_id = $2
         AND c.version = $3
         AND NOT EXISTS (SELECT 1 FROM training t WHERE (t.tenant_id, t.kind, t.group_id) = (c.tenant_id, c.kind, c.group_id)
           AND $3 IN (t.snapshot_version, t.building_version))`,
      [lease.tenantId, lease.groupId, lease.buildingVersion, lease.kind],
    );
  }
}

class TrainingFailure extends Error {}

/** Another store process holds the training's lease now, or the training is gone with its group. */
class LeaseLost extends Error {}

interface ClaimedTraining {
  tenant_id: string;
  kind: TrainingEntity['kind'];
  group_id: string;
  building_version: number;
  lease_token: string;
}

function trainingOf(ref: GroupRef): Pick<TrainingEntity, 'tenantId' | 'kind' | 'groupId'> {
  return { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId };
}

function statusView(group: CollectionEntity, training: TrainingEntity): TrainingStatusView {
  return {
    status: training.status,
    createdDateTime: group.createdAt.toISOString(),
    lastActionDateTime: training.lastActionAt?.toISOString() ?? null,
    lastSuccessfulTrainingDateTime: training.lastSuccessAt?.toISOString() ?? null,
    message: training.message,
  };
}
