import { Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { GroupDeletions } from '../groups/group-deletions';
import { GroupsModule } from '../groups/groups.module';
import { Scheduler } from '../scheduling/scheduler';
import { SNAPSHOT_CACHE_BYTES, SnapshotCache } from './snapshot-cache';
import { TrainedSnapshots } from './trained-snapshots';

/** How often a store drops snapshots that another store's delete or a newer training made stale. */
const staleSweepMs = 60_000;

/**
 * The trained snapshots this process searches, in a cache of its own. Global: registered once with the cache's
 * bound, and identify, verify and find similar inject TrainedSnapshots wherever they live.
 */
@Module({})
export class SearchModule implements OnModuleInit {
  constructor(
    private readonly snapshots: TrainedSnapshots,
    private readonly deletions: GroupDeletions,
    private readonly scheduler: Scheduler,
  ) {}

  static register(options: { snapshotCacheBytes: number }): DynamicModule {
    return {
      module: SearchModule,
      global: true,
      imports: [GroupsModule],
      providers: [
        TrainedSnapshots,
        SnapshotCache,
        { provide: SNAPSHOT_CACHE_BYTES, useValue: options.snapshotCacheBytes },
      ],
      exports: [TrainedSnapshots],
    };
  }

  onModuleInit(): void {
    this.deletions.onDeleted((ref) => this.snapshots.evict(ref));
    this.scheduler.every({
      name: 'stale-snapshot-sweep',
      everyMs: staleSweepMs,
      run: () => this.snapshots.dropStale(),
    });
  }
}
