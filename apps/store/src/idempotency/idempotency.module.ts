import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { Scheduler } from '../scheduling/scheduler';
import { appliedWriteRetentionHours, pruneAppliedWrites } from './applied-writes';

/** Remembered results are only needed while a retry can still come; an hourly round forgets the older ones. */
@Module({})
export class IdempotencyModule implements OnModuleInit {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly scheduler: Scheduler,
  ) {}

  onModuleInit(): void {
    this.scheduler.every({
      name: 'applied-write-pruning',
      everyMs: 3_600_000,
      run: () => pruneAppliedWrites(this.dataSource, appliedWriteRetentionHours),
    });
  }
}
