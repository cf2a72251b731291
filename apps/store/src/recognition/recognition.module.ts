import { Module, type DynamicModule } from '@nestjs/common';
import { GroupsModule } from '../groups/groups.module';
import { PersonsModule } from '../persons/persons.module';
import { RecognitionController } from './recognition.controller';
import { RecognitionService } from './recognition.service';

@Module({})
export class RecognitionModule {
  static register(training: DynamicModule, detectedFaces: DynamicModule): DynamicModule {
    return {
      module: RecognitionModule,
      imports: [GroupsModule, PersonsModule, detectedFaces, training],
      controllers: [RecognitionController],
      providers: [RecognitionService],
    };
  }
}
