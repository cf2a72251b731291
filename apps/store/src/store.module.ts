import { Module, type DynamicModule } from '@nestjs/common';
import { ConsumerTransport } from '#messaging';
import type { DataSource } from 'typeorm';
import { DatabaseModule } from './database/database.module';
import { DetectedFacesModule } from './detected-faces/detected-faces.module';
import { FacesModule } from './faces/faces.module';
import { GroupsModule } from './groups/groups.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { ListFacesModule } from './list-faces/list-faces.module';
import { PersonsModule } from './persons/persons.module';
import { RecognitionModule } from './recognition/recognition.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { SearchModule } from './search/search.module';
import { SHARD_COUNT, StatusController } from './status/status.controller';
import { TrainingModule } from './training/training.module';
import type { TrainingOptions } from './training/training.service';

@Module({})
export class StoreModule {
  static register(
    dataSource: DataSource,
    transport: ConsumerTransport,
    options: {
      training: TrainingOptions;
      snapshotCacheBytes: number;
      shardCount: number;
      detectedFaceQuota: number;
    },
  ): DynamicModule {
    const detectedFaces = DetectedFacesModule.register({ quota: options.detectedFaceQuota });
    return {
      module: StoreModule,
      imports: [
        DatabaseModule.forDataSource(dataSource),
        SchedulingModule,
        IdempotencyModule,
        GroupsModule,
        PersonsModule,
        FacesModule,
        ListFacesModule,
        detectedFaces,
        TrainingModule.register(options.training),
        SearchModule.register({ snapshotCacheBytes: options.snapshotCacheBytes }),
        RecognitionModule,
      ],
      controllers: [StatusController],
      providers: [
        { provide: ConsumerTransport, useValue: transport },
        { provide: SHARD_COUNT, useValue: options.shardCount },
      ],
    };
  }
}
