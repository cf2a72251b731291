import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { ReplyOf, RequestOf } from '#contracts';
import { RecognitionService } from './recognition.service';

@Controller()
export class RecognitionController {
  constructor(private readonly recognition: RecognitionService) {}

  @MessagePattern('faces.identify')
  identify(@Payload() request: RequestOf<'faces.identify'>): Promise<ReplyOf<'faces.identify'>> {
    return this.recognition.identify(request);
  }

  @MessagePattern('faces.verify')
  verify(@Payload() request: RequestOf<'faces.verify'>): Promise<ReplyOf<'faces.verify'>> {
    return this.recognition.verify(request);
  }
}
