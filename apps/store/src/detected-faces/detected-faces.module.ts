import { Logger, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { Scheduler } from '../scheduling/scheduler';
import { DetectedFacesController } from './detected-faces.controller';
import { DETECTED_FACES_OPTIONS, DetectedFacesService, type DetectedFacesOptions } from './detected-faces.service';

const purgeEveryMs = 60_000;
const purgeBatchSize = 5_000;

@Module({})
export class DetectedFacesModule implements OnModuleInit {
  private readonly logger = new Logger('detected-faces');

  constructor(
    private readonly detected: DetectedFacesService,
    private readonly scheduler: Scheduler,
  ) {}

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
    this.scheduler.every({ name: 'detected-face-purge', everyMs: purgeEveryMs, run: () => this.purge() });
  }

  /** One purge round: every expired faceId, in bounded batches. */
  private async purge(): Promise<void> {
    const { deleted, batches } = await this.detected.purgeExpired();
    if (deleted > 0) this.logger.debug(`Purged ${deleted} expired faceIds in ${batches} batches`);
  }
}
