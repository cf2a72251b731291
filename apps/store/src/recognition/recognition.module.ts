import { Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { GroupDeletions } from '../groups/group-deletions';
import { GroupsModule } from '../groups/groups.module';
import { PersonsModule } from '../persons/persons.module';
import { RecognitionController } from './recognition.controller';
import { RecognitionService } from './recognition.service';
import { SNAPSHOT_CACHE_BYTES, SnapshotCache } from './snapshot-cache';

/** How often a store drops snapshots that another store's delete or a newer training made stale. */
const staleSweepMs = 60_000;

@Module({})
export class RecognitionModule implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly recognition: RecognitionService,
    private readonly snapshots: SnapshotCache,
    private readonly deletions: GroupDeletions,
  ) {}

  static register(options: { snapshotCacheBytes: number; detectedFaces: DynamicModule }): DynamicModule {
    return {
      module: RecognitionModule,
      imports: [GroupsModule, PersonsModule, options.detectedFaces],
      controllers: [RecognitionController],
      providers: [
        RecognitionService,
        SnapshotCache,
        { provide: SNAPSHOT_CACHE_BYTES, useValue: options.snapshotCacheBytes },
      ],
    };
  }

  onModuleInit(): void {
    this.deletions.onDeleted((ref) => this.snapshots.evictGroup(ref));
    this.timer = setInterval(() => void this.recognition.dropStaleSnapshots(), staleSweepMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
