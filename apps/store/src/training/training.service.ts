/**
 * Training turns a group's faces into a versioned snapshot. It runs in the background of the store process
 * that accepted it, under a lease it keeps renewing; if that process dies, another store takes the expired
 * lease over and runs the training again, so a training is never left "running" forever.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { VisageError, type GroupRef, type IdempotentWrite, type TrainingStatusView } from '#contracts';
import { littleEndianToFloat32 } from '#messaging';
import { Metrics } from '#observability';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { TrainingEntity, type LargePersonGroupEntity } from '../database/entities';
import { GroupsService } from '../groups/groups.service';
import { applyOnce } from '../idempotency/applied-writes';
import { SnapshotEncoder, snapshotPartRows, type SnapshotPart } from './snapshot-encoding';
import { loadSnapshotParts, saveSnapshotPart } from './snapshot-storage';
import { TrainingSnapshot } from './training-snapshot';

export const TRAINING_LEASE_MS = Symbol('TRAINING_LEASE_MS');

@Injectable()
export class TrainingService {
  private readonly logger = new Logger('training');
  private readonly snapshots = new Map<string, TrainingSnapshot>();
  private readonly loading = new Map<string, Promise<TrainingSnapshot>>();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TRAINING_LEASE_MS) private readonly leaseMs: number,
    private readonly groups: GroupsService,
  ) {}

  async start(ref: GroupRef & IdempotentWrite): Promise<TrainingStatusView> {
    let started: TrainingEntity | undefined;
    const view = await applyOnce(this.dataSource, ref, async (manager) => {
      const group = await this.groups.require(manager, ref, 'update');
      const prior = await manager.findOne(TrainingEntity, { where: { tenantId: ref.tenantId, groupId: ref.groupId } });
      if (prior?.status === 'running') throw new VisageError('TRAINING_IN_PROGRESS');
      const now = new Date();
      const training: TrainingEntity = {
        tenantId: ref.tenantId,
        groupId: ref.groupId,
        status: 'running',
        message: null,
        lastActionAt: now,
        lastSuccessAt: prior?.lastSuccessAt ?? null,
        snapshotVersion: prior?.snapshotVersion ?? 0,
        buildingVersion: Math.max(prior?.snapshotVersion ?? 0, prior?.buildingVersion ?? 0) + 1,
        leaseUntil: new Date(now.getTime() + this.leaseMs),
      };
      await manager.save(TrainingEntity, training);
      started = training;
      return statusView(group, training);
    });
    // A replay answers the first 202 and starts nothing.
    if (started) void this.build(started);
    return view;
  }

  async status(ref: GroupRef): Promise<TrainingStatusView> {
    const group = await this.groups.require(this.dataSource.manager, ref);
    const training = await this.dataSource
      .getRepository(TrainingEntity)
      .findOne({ where: { tenantId: ref.tenantId, groupId: ref.groupId } });
    if (!training) throw new VisageError('TRAINING_NOT_FOUND');
    return statusView(group, training);
  }

  /** Claims trainings whose store process went away (lease expired) and runs them again here. */
  async resumeAbandoned(): Promise<void> {
    // TypeORM answers an UPDATE with [returned rows, affected count].
    const [claimed] = (await this.dataSource.query(
      `UPDATE training SET lease_until = now() + make_interval(secs => $1::double precision / 1000)
       WHERE status = 'running' AND lease_until < now()
       RETURNING tenant_id, group_id, building_version`,
      [this.leaseMs],
    )) as [{ tenant_id: string; group_id: string; building_version: number }[], number];
    for (const row of claimed) {
      this.logger.warn(`Resuming the abandoned training of group ${row.group_id}`);
      void this.build({ tenantId: row.tenant_id, groupId: row.group_id, buildingVersion: row.building_version });
    }
  }

  /** The last successful snapshot of a group, from memory when this process has it. */
  async snapshot(ref: GroupRef, version: number): Promise<TrainingSnapshot> {
    const key = `${ref.tenantId}\0${ref.groupId}`;
    const cached = this.snapshots.get(key);
    if (cached?.version === version) return cached;
    const loadKey = `${key}\0${version}`;
    let loading = this.loading.get(loadKey);
    if (!loading) {
      loading = this.loadSnapshot(ref, version).finally(() => this.loading.delete(loadKey));
      this.loading.set(loadKey, loading);
    }
    const snapshot = await loading;
    this.snapshots.set(key, snapshot);
    return snapshot;
  }

  private async build(training: Pick<TrainingEntity, 'tenantId' | 'groupId' | 'buildingVersion'>): Promise<void> {
    const { tenantId, groupId, buildingVersion: version } = training;
    const renew = setInterval(() => void this.renewLease(training).catch(() => undefined), this.leaseMs / 3);
    const stopTimer = Metrics.trainingDuration.startTimer();
    try {
      await this.dataSource.query(
        'DELETE FROM training_snapshot_chunk WHERE tenant_id = $1 AND group_id = $2 AND version = $3',
        [tenantId, groupId, version],
      );
      // One cursor over the group's faces, a single consistent read fetched in chunks; by person, because the
      // encoded snapshot keeps each person's faces together.
      const reader = this.dataSource.createQueryRunner();
      let encoder: SnapshotEncoder | undefined;
      let chunk = 0;
      let rows = 0;
      const save = async (part: SnapshotPart | undefined) => {
        if (part) await saveSnapshotPart(this.dataSource.manager, training, version, chunk++, part);
      };
      try {
        await reader.connect();
        await reader.startTransaction();
        await reader.query(
          `DECLARE group_faces NO SCROLL CURSOR FOR
           SELECT person_id, embedding FROM persisted_face WHERE tenant_id = $1 AND group_id = $2
           ORDER BY person_id`,
          [tenantId, groupId],
        );
        for (;;) {
          const faces: { person_id: string; embedding: Buffer }[] = await reader.query(
            `FETCH ${snapshotPartRows} FROM group_faces`,
          );
          if (faces.length === 0) break;
          for (const face of faces) {
            const vector = littleEndianToFloat32(face.embedding);
            encoder ??= new SnapshotEncoder(vector.length, snapshotPartRows);
            await save(encoder.add(face.person_id, vector));
          }
          rows += faces.length;
        }
        await save(encoder?.finish());
        await reader.commitTransaction();
      } finally {
        if (reader.isTransactionActive) await reader.rollbackTransaction().catch(() => undefined);
        await reader.release();
      }
      if (rows === 0) throw new TrainingFailure('There is no face in the large person group.');
      await this.finish(training, 'succeeded', null);
      stopTimer({ outcome: 'succeeded' });
      this.logger.log(`Trained group ${groupId}: ${rows} faces, snapshot version ${version}`);
    } catch (error) {
      const message = error instanceof TrainingFailure ? error.message : 'Training failed; retry.';
      if (!(error instanceof TrainingFailure))
        this.logger.error(`Training of ${groupId} failed: ${(error as Error).message}`);
      await this.finish(training, 'failed', message).catch(() => undefined);
      stopTimer({ outcome: 'failed' });
    } finally {
      clearInterval(renew);
    }
  }

  private async finish(
    training: Pick<TrainingEntity, 'tenantId' | 'groupId' | 'buildingVersion'>,
    status: 'succeeded' | 'failed',
    message: string | null,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const succeeded = status === 'succeeded';
      await manager.query(
        `UPDATE training SET status = $4, message = $5, last_action_at = now(), lease_until = NULL,
           snapshot_version = CASE WHEN $6 THEN building_version ELSE snapshot_version END,
           last_success_at = CASE WHEN $6 THEN now() ELSE last_success_at END
         WHERE tenant_id = $1 AND group_id = $2 AND building_version = $3 AND status = 'running'`,
        [training.tenantId, training.groupId, training.buildingVersion, status, message, succeeded],
      );
      // Keep only the snapshot identify reads.
      await manager.query(
        `DELETE FROM training_snapshot_chunk c USING training t
         WHERE c.tenant_id = $1 AND c.group_id = $2 AND t.tenant_id = c.tenant_id AND t.group_id = c.group_id
           AND c.version <> t.snapshot_version`,
        [training.tenantId, training.groupId],
      );
    });
  }

  private async renewLease(training: Pick<TrainingEntity, 'tenantId' | 'groupId' | 'buildingVersion'>): Promise<void> {
    await this.dataSource.query(
      `UPDATE training SET lease_until = now() + make_interval(secs => $4::double precision / 1000)
       WHERE tenant_id = $1 AND group_id = $2 AND building_version = $3 AND status = 'running'`,
      [training.tenantId, training.groupId, training.buildingVersion, this.leaseMs],
    );
  }

  private async loadSnapshot(ref: GroupRef, version: number): Promise<TrainingSnapshot> {
    return TrainingSnapshot.fromParts(version, await loadSnapshotParts(this.dataSource.manager, ref, version));
  }
}

class TrainingFailure extends Error {}

function statusView(group: LargePersonGroupEntity, training: TrainingEntity): TrainingStatusView {
  return {
    status: training.status,
    createdDateTime: group.createdAt.toISOString(),
    lastActionDateTime: training.lastActionAt?.toISOString() ?? null,
    lastSuccessfulTrainingDateTime: training.lastSuccessAt?.toISOString() ?? null,
    message: training.message,
  };
}
