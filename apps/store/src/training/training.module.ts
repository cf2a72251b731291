import { Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { GroupsModule } from '../groups/groups.module';
import { Scheduler } from '../scheduling/scheduler';
import { TrainingController } from './training.controller';
import { TRAINING_OPTIONS, TrainingService, type TrainingOptions } from './training.service';

@Module({})
export class TrainingModule implements OnModuleInit {
  constructor(
    private readonly training: TrainingService,
    private readonly scheduler: Scheduler,
  ) {}

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
    this.scheduler.every({
      name: 'training-sweep',
      everyMs: 5_000,
      runAtStart: true,
      run: () => this.training.resumeAbandoned(),
    });
  }
}
