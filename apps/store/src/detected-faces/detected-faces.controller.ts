import { Controller } from '@nestjs/common';
import type { ReplyOf, RequestOf } from '#contracts';
import { Handles } from '#messaging';
import { DetectedFacesService } from './detected-faces.service';

@Controller()
export class DetectedFacesController {
  constructor(private readonly detected: DetectedFacesService) {}

  @Handles('detected.save')
  save(request: RequestOf<'detected.save'>): Promise<ReplyOf<'detected.save'>> {
    return this.detected.save(request);
  }
}
