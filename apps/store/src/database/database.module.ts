import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';

export const DATA_SOURCE = Symbol('DATA_SOURCE');

/** Makes the already-opened (and migrated) DataSource injectable. */
@Global()
@Module({})
export class DatabaseModule {
  static forDataSource(dataSource: DataSource): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DATA_SOURCE, useValue: dataSource }],
      exports: [DATA_SOURCE],
    };
  }
}
