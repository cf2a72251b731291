import { Logger, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DetectedFacesController } from './detected-faces.controller';
import { DETECTED_FACES_OPTIONS, DetectedFacesService, type DetectedFacesOptions } from './detected-faces.service';

const purgeEveryMs = 60_000;
const purgeBatchSize = 5_000;

@Module({})
export class DetectedFacesModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('detected-faces');
  private timer?: NodeJS.Timeout;

  constructor(private readonly detected: DetectedFacesService) {}

  /** Global: identify, verify, find similar and group read the faceIds Detect saved. */
  static register(options: Omit<DetectedFacesOptions, 'purgeBatchSize'>): DynamicModule {
    return {
      module: DetectedFacesModule,
      global: true,
      controllers: [DetectedFacesController],
      providers: [
        DetectedFacesService,
        { provide: DETECTED_FACES_OPTIONS, useValue: { purgeBatchSize, ...options } satisfies DetectedFacesOptions },
      ],
      exports: [DetectedFacesService],
    };
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.purge(), purgeEveryMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One purge round; a failure is logged and the next round tries again. */
  async purge(): Promise<void> {
    try {
      const { deleted, batches } = await this.detected.purgeExpired();
      if (deleted > 0) this.logger.debug(`Purged ${deleted} expired faceIds in ${batches} batches`);
    } catch (error) {
      this.logger.error(`Purging expired faceIds failed: ${(error as Error).message}`);
    }
  }
}
