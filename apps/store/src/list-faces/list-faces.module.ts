import { Module } from '@nestjs/common';
import { GroupsModule } from '../groups/groups.module';
import { ListFacesController } from './list-faces.controller';
import { ListFacesService } from './list-faces.service';

@Module({
  imports: [GroupsModule],
  controllers: [ListFacesController],
  providers: [ListFacesService],
  exports: [ListFacesService],
})
export class ListFacesModule {}
