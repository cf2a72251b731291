import { Module } from '@nestjs/common';
import { GroupsModule } from '../groups/groups.module';
import { PersonsModule } from '../persons/persons.module';
import { RecognitionController } from './recognition.controller';
import { RecognitionService } from './recognition.service';

/** Identify, verify, find similar and group; the trained snapshots come from SearchModule, faceIds from Detect's. */
@Module({
  imports: [GroupsModule, PersonsModule],
  controllers: [RecognitionController],
  providers: [RecognitionService],
})
export class RecognitionModule {}
