import { Module } from '@nestjs/common';
import { GroupDeletions } from './group-deletions';
import { GroupsController } from './groups.controller';
import { GroupsService } from './groups.service';

@Module({
  controllers: [GroupsController],
  providers: [GroupsService, GroupDeletions],
  exports: [GroupsService, GroupDeletions],
})
export class GroupsModule {}
