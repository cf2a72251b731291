import { Logger, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { GroupsModule } from '../groups/groups.module';
import { TrainingController } from './training.controller';
import { TRAINING_OPTIONS, TrainingService, type TrainingOptions } from './training.service';

@Module({})
export class TrainingModule implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(private readonly training: TrainingService) {}

  static register(options: TrainingOptions): DynamicModule {
    return {
      module: TrainingModule,
      imports: [GroupsModule],
      controllers: [TrainingController],
      providers: [TrainingService, { provide: TRAINING_OPTIONS, useValue: options }],
      exports: [TrainingService],
    };
  }

  /** Looks for trainings abandoned by a store process that died, at start and then regularly. */
  onModuleInit(): void {
    const logger = new Logger('training');
    const sweep = () =>
      void this.training
        .resumeAbandoned()
        .catch((error: Error) => logger.warn(`Could not look for abandoned trainings: ${error.message}`));
    sweep();
    this.timer = setInterval(sweep, 5_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
