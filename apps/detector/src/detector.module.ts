import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ExtractionController } from './extraction/extraction.controller';
import { ExtractionPool } from './extraction/extraction-pool';

@Module({})
export class DetectorModule implements OnApplicationShutdown {
  constructor(private readonly pool: ExtractionPool) {}

  static register(pool: ExtractionPool): DynamicModule {
    return {
      module: DetectorModule,
      controllers: [ExtractionController],
      providers: [{ provide: ExtractionPool, useValue: pool }],
    };
  }

  /** Runs after the transport stopped consuming and finished its in-flight messages. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}
