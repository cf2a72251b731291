import { Module, type DynamicModule } from '@nestjs/common';
import { AmqpTransport } from '#messaging';
import type { DataSource } from 'typeorm';
import { DatabaseModule } from './database/database.module';
import { FacesModule } from './faces/faces.module';
import { GroupsModule } from './groups/groups.module';
import { PersonsModule } from './persons/persons.module';
import { StatusController } from './status/status.controller';

@Module({})
export class StoreModule {
  static register(dataSource: DataSource, transport: AmqpTransport): DynamicModule {
    return {
      module: StoreModule,
      imports: [DatabaseModule.forDataSource(dataSource), GroupsModule, PersonsModule, FacesModule],
      controllers: [StatusController],
      providers: [{ provide: AmqpTransport, useValue: transport }],
    };
  }
}
