/**
 * The snapshots identify and find similar search: a collection's last successful training, loaded once into this
 * process's cache. A snapshot leaves the cache when its collection is deleted here, or when a check finds it stale
 * (the collection deleted, or trained again, through another store process).
 */
import { Inject, Injectable } from '@nestjs/common';
import { Collections, trainingErrorsOf, VisageError, type GroupRef, type RecognitionModel } from '#contracts';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { SnapshotsRepository } from '../training/snapshots.repository';
import { TrainingSnapshot } from '../training/training-snapshot';
import { TrainingRepository, type TrainedSnapshotRef } from '../training/training.repository';
import { SnapshotCache } from './snapshot-cache';

export interface SearchedSnapshot {
  recognitionModel: RecognitionModel;
  snapshot: TrainingSnapshot;
  /** Entries may have been deleted since the training: what a search finds must be checked to still exist. */
  deletedSinceTraining: boolean;
}

@Injectable()
export class TrainedSnapshots {
  private readonly trainings: TrainingRepository;
  private readonly snapshots: SnapshotsRepository;

  constructor(
    @Inject(DATA_SOURCE) dataSource: DataSource,
    private readonly cache: SnapshotCache<TrainingSnapshot>,
  ) {
    this.trainings = new TrainingRepository(dataSource.manager);
    this.snapshots = new SnapshotsRepository(dataSource.manager);
  }

  /**
   * The collection's recognition model, the snapshot of its last successful training, and whether entries may
   * have been deleted since (one statement reads all three); the kind's own errors when there is no such
   * collection, or no successful training yet.
   */
  async of(ref: GroupRef): Promise<SearchedSnapshot> {
    const target = await this.trainings.searchTarget(ref);
    if (!target) throw new VisageError(Collections[ref.kind].errors.notFound);
    const { recognitionModel, snapshotVersion: version, snapshotId, deletedSinceTraining } = target;
    if (version === 0 || snapshotId === null) {
      const errors = trainingErrorsOf(ref.kind);
      throw new VisageError(target.status === 'running' ? errors.inProgress : errors.notTrained);
    }
    const snapshot = await this.cache.get(
      { tenantId: ref.tenantId, kind: ref.kind, groupId: ref.groupId, snapshotId },
      async () => TrainingSnapshot.fromParts(version, await this.snapshots.loadParts(ref, version)),
    );
    return { recognitionModel, snapshot, deletedSinceTraining };
  }

  /** The collection was deleted through this process. */
  evict(ref: GroupRef): void {
    this.cache.evictGroup(ref);
  }

  /** Drops the snapshots of collections deleted, or trained again, through another store process; throws when the
   * database cannot tell (the cache keeps what it holds until the next round). */
  async dropStale(): Promise<void> {
    const held = this.cache.held();
    if (held.length === 0) return;
    const current = new Set((await this.trainings.currentSnapshots(held)).map(keyOf));
    for (const ref of held) {
      if (!current.has(keyOf(ref))) this.cache.evictGroup(ref, 'stale');
    }
  }
}

function keyOf(ref: TrainedSnapshotRef): string {
  return [ref.tenantId, ref.kind, ref.groupId, ref.snapshotId].join('\0');
}
