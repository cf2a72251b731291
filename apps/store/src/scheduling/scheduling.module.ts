import { Global, Module } from '@nestjs/common';
import { Scheduler } from './scheduler';

/** Global: each feature schedules its own periodic jobs on the app's one Scheduler. */
@Global()
@Module({ providers: [Scheduler], exports: [Scheduler] })
export class SchedulingModule {}
