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

  @MessagePattern('faces.findSimilar')
  findSimilar(@Payload() request: RequestOf<'faces.findSimilar'>): Promise<ReplyOf<'faces.findSimilar'>> {
    return this.recognition.findSimilar(request);
  }

  @MessagePattern('faces.group')
  group(@Payload() request: RequestOf<'faces.group'>): Promise<ReplyOf<'faces.group'>> {
    return this.recognition.group(request);
  }
}
