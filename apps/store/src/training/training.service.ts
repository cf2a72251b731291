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
} from '#contracts';
import { Metrics } from '#observability';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import type { CollectionEntity, TrainingEntity } from '../database/entities';
import { FacesRepository } from '../faces/faces.repository';
import { CollectionsRepository } from '../groups/collections.repository';
import { GroupsService } from '../groups/groups.service';
import { applyOnce } from '../idempotency/applied-writes';
import { Scheduler, type ScheduledJob } from '../scheduling/scheduler';
import { SnapshotEncoder, snapshotPartRows, type SnapshotPart } from './snapshot-encoding';
import { SnapshotsRepository } from './snapshots.repository';
import { TrainingSlots } from './training-slots';
import { TrainingRepository, type Lease } from './training.repository';

export interface TrainingOptions {
  /** Length of the lease a running training renews. */
  leaseMs: number;
  /** Trainings building at once in this process. */
  concurrency: number;
}

export const TRAINING_OPTIONS = Symbol('TRAINING_OPTIONS');

@Injectable()
export class TrainingService {
  private readonly logger = new Logger('training');
  private readonly leaseMs: number;
  private readonly slots: TrainingSlots;
  private readonly trainings: TrainingRepository;
  private readonly snapshots: SnapshotsRepository;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TRAINING_OPTIONS) options: TrainingOptions,
    private readonly groups: GroupsService,
    private readonly scheduler: Scheduler,
  ) {
    this.leaseMs = options.leaseMs;
    this.slots = new TrainingSlots(options.concurrency);
    this.trainings = new TrainingRepository(dataSource.manager);
    this.snapshots = new SnapshotsRepository(dataSource.manager);
  }

  async start(ref: GroupRef & IdempotentWrite): Promise<TrainingStatusView> {
    let started: Lease | undefined;
    const view = await applyOnce(this.dataSource, ref, async (manager) => {
      const group = await this.groups.require(manager, ref, 'update');
      const trainings = new TrainingRepository(manager);
      const prior = await trainings.find(ref);
      if (prior?.status === 'running') throw new VisageError(trainingErrorsOf(ref.kind).inProgress);
      const now = new Date();
      const training: TrainingEntity & Lease = {
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
      await trainings.save(training);
      started = training;
      return statusView(group, training);
    });
    // A replay answers the first 202 and starts nothing.
    if (started) void this.build(started);
    return view;
  }

  async status(ref: GroupRef): Promise<TrainingStatusView> {
    const group = await this.groups.require(this.dataSource.manager, ref);
    const training = await this.trainings.find(ref);
    if (!training) throw new VisageError(trainingErrorsOf(ref.kind).neverTrained);
    return statusView(group, training);
  }

  /** Claims the trainings whose store process went away (lease expired) and runs them again here. */
  async resumeAbandoned(): Promise<void> {
    for (const lease of await this.trainings.claimAbandoned(this.leaseMs)) {
      this.logger.warn(`Resuming the abandoned training of group ${lease.groupId}`);
      void this.build(lease);
    }
  }

  /** Builds the snapshot under the lease and records how it ended; never throws. */
  private async build(lease: Lease): Promise<void> {
    // Renewed while waiting for a slot too: a waiting training is still running to its callers.
    const keeper = new LeaseKeeper(lease, this.trainings, this.leaseMs, this.scheduler);
    const release = await this.slots.acquire();
    const stopTimer = Metrics.trainingDuration.startTimer();
    try {
      // The wait for a slot may have outlasted the lease.
      await keeper.renewNow();
      // Read before the faces: an entry deleted after this read leaves the counts apart, and searches check.
      const entriesDeleted = await new CollectionsRepository(this.dataSource.manager).entriesDeleted(lease);
      const rows = await this.encode(lease, keeper);
      if (rows === 0) {
        throw new TrainingFailure(`There is no face in the ${Collections[lease.kind].title.toLowerCase()}.`);
      }
      if (!(await this.finish(lease, 'succeeded', null, entriesDeleted))) throw new LeaseLost();
      stopTimer({ outcome: 'succeeded' });
      this.logger.log(`Trained group ${lease.groupId}: ${rows} faces, snapshot version ${lease.buildingVersion}`);
    } catch (error) {
      stopTimer({ outcome: await this.failed(lease, error) });
    } finally {
      keeper.stop();
      release();
    }
  }

  /** Encodes the collection's faces into the parts of the lease's version; answers how many faces. */
  private async encode(lease: Lease, keeper: LeaseKeeper): Promise<number> {
    const version = lease.buildingVersion;
    keeper.hold();
    await this.snapshots.deleteVersion(lease, version);
    let encoder: SnapshotEncoder | undefined;
    let chunk = 0;
    let rows = 0;
    const save = async (part: SnapshotPart | undefined) => {
      keeper.hold();
      if (part) await this.snapshots.savePart(lease, version, chunk++, part);
    };
    for await (const faces of new FacesRepository(this.dataSource.manager).byEntry(lease, snapshotPartRows)) {
      for (const face of faces) {
        encoder ??= new SnapshotEncoder(face.embedding.length, snapshotPartRows);
        await save(encoder.add(face.entryId, face.embedding));
      }
      rows += faces.length;
    }
    await save(encoder?.finish());
    return rows;
  }

  /** Records a build that did not succeed, as far as it is still this process's; answers the metric's outcome. */
  private async failed(lease: Lease, error: unknown): Promise<'lease_lost' | 'failed'> {
    const { groupId } = lease;
    if (error instanceof LeaseLost) {
      this.logger.warn(
        `The training of group ${groupId} is no longer this process's (another store process took it over, ` +
          'or the group was deleted); stopped here',
      );
      await this.snapshots
        .discardAbandoned(lease, lease.buildingVersion)
        .catch((error: Error) =>
          this.logger.warn(`Could not delete the parts of an abandoned training of ${groupId}: ${error.message}`),
        );
      return 'lease_lost';
    }
    if (!(error instanceof TrainingFailure)) {
      this.logger.error(`Training of ${groupId} failed: ${(error as Error).message}`);
    }
    const message = error instanceof TrainingFailure ? error.message : 'Training failed; retry.';
    await this.finish(lease, 'failed', message).catch((error: Error) =>
      this.logger.error(`Could not record the failed training of ${groupId}: ${error.message}`),
    );
    return 'failed';
  }

  /** Records the outcome if this process still holds the lease; false when another process took it over. */
  private async finish(
    lease: Lease,
    status: 'succeeded' | 'failed',
    message: string | null,
    entriesDeleted: string | null = null,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const outcome = { status, message, snapshotId: randomUUID(), entriesDeleted };
      if (!(await new TrainingRepository(manager).finish(lease, outcome))) return false;
      await new SnapshotsRepository(manager).keepOnlyTrained(lease);
      return true;
    });
  }
}

/**
 * Keeps a build's lease: renews it every third of its length until stopped, and knows once it was lost (a renewal
 * found it taken over or gone). A renewal that fails outright is tried again on the next round.
 */
class LeaseKeeper {
  private lost = false;
  private readonly renewal: ScheduledJob;

  constructor(
    private readonly lease: Lease,
    private readonly trainings: TrainingRepository,
    private readonly leaseMs: number,
    scheduler: Scheduler,
  ) {
    this.renewal = scheduler.every({
      name: 'training-lease-renewal',
      about: `group ${lease.groupId}`,
      everyMs: leaseMs / 3,
      run: () => this.renewNow(),
    });
  }

  async renewNow(): Promise<void> {
    this.lost ||= !(await this.trainings.renewLease(this.lease, this.leaseMs));
  }

  /** Throws LeaseLost once the lease is lost: nothing more of the build may be written. */
  hold(): void {
    if (this.lost) throw new LeaseLost();
  }

  stop(): void {
    this.renewal.stop();
  }
}

/** A build that cannot succeed for a reason its caller can act on; the message is theirs. */
class TrainingFailure extends Error {}

/** Another store process holds the training's lease now, or the training is gone with its group. */
class LeaseLost extends Error {}

function statusView(group: CollectionEntity, training: TrainingEntity): TrainingStatusView {
  return {
    status: training.status,
    createdDateTime: group.createdAt.toISOString(),
    lastActionDateTime: training.lastActionAt?.toISOString() ?? null,
    lastSuccessfulTrainingDateTime: training.lastSuccessAt?.toISOString() ?? null,
    message: training.message,
  };
}
