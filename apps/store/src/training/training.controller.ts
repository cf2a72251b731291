import { Controller } from '@nestjs/common';
import type { ReplyOf, RequestOf } from '#contracts';
import { Handles } from '#messaging';
import { TrainingService } from './training.service';

@Controller()
export class TrainingController {
  constructor(private readonly training: TrainingService) {}

  @Handles('training.start')
  start(request: RequestOf<'training.start'>): Promise<ReplyOf<'training.start'>> {
    return this.training.start(request);
  }

  @Handles('training.status')
  status(request: RequestOf<'training.status'>): Promise<ReplyOf<'training.status'>> {
    return this.training.status(request);
  }
}
