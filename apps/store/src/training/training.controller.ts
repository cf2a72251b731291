import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { ReplyOf, RequestOf } from '#contracts';
import { TrainingService } from './training.service';

@Controller()
export class TrainingController {
  constructor(private readonly training: TrainingService) {}

  @MessagePattern('training.start')
  start(@Payload() request: RequestOf<'training.start'>): Promise<ReplyOf<'training.start'>> {
    return this.training.start(request);
  }

  @MessagePattern('training.status')
  status(@Payload() request: RequestOf<'training.status'>): Promise<ReplyOf<'training.status'>> {
    return this.training.status(request);
  }
}
