import { Module, type DynamicModule } from '@nestjs/common';
import { ExtractionController } from './extraction/extraction.controller';
import { ExtractionPool } from './extraction/extraction-pool';

@Module({})
export class DetectorModule {
  static register(pool: ExtractionPool): DynamicModule {
    return {
      module: DetectorModule,
      controllers: [ExtractionController],
      providers: [{ provide: ExtractionPool, useValue: pool }],
    };
  }
}
