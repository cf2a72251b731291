import { Module, type DynamicModule } from '@nestjs/common';
import { AmqpTransport } from '#messaging';
import type { DataSource } from 'typeorm';
import { DatabaseModule } from './database/database.module';
import { DetectedFacesModule } from './detected-faces/detected-faces.module';
import { FacesModule } from './faces/faces.module';
import { GroupsModule } from './groups/groups.module';
import { PersonsModule } from './persons/persons.module';
import { RecognitionModule } from './recognition/recognition.module';
import { StatusController } from './status/status.controller';
import { TrainingModule } from './training/training.module';

@Module({})
export class StoreModule {
  static register(dataSource: DataSource, transport: AmqpTransport, trainingLeaseMs: number): DynamicModule {
    const training = TrainingModule.register(trainingLeaseMs);
    return {
      module: StoreModule,
      imports: [
        DatabaseModule.forDataSource(dataSource),
        GroupsModule,
        PersonsModule,
        FacesModule,
        DetectedFacesModule,
        training,
        RecognitionModule.register(training),
      ],
      controllers: [StatusController],
      providers: [{ provide: AmqpTransport, useValue: transport }],
    };
  }
}
