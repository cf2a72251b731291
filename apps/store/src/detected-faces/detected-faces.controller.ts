import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { ReplyOf, RequestOf } from '#contracts';
import { DetectedFacesService } from './detected-faces.service';

@Controller()
export class DetectedFacesController {
  constructor(private readonly detected: DetectedFacesService) {}

  @MessagePattern('detected.save')
  save(@Payload() request: RequestOf<'detected.save'>): Promise<ReplyOf<'detected.save'>> {
    return this.detected.save(request);
  }
}
