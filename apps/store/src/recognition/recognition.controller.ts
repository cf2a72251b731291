import { Controller } from '@nestjs/common';
import type { ReplyOf, RequestOf } from '#contracts';
import { Handles } from '#messaging';
import { RecognitionService } from './recognition.service';

@Controller()
export class RecognitionController {
  constructor(private readonly recognition: RecognitionService) {}

  @Handles('faces.identify')
  identify(request: RequestOf<'faces.identify'>): Promise<ReplyOf<'faces.identify'>> {
    return this.recognition.identify(request);
  }

  @Handles('faces.verify')
  verify(request: RequestOf<'faces.verify'>): Promise<ReplyOf<'faces.verify'>> {
    return this.recognition.verify(request);
  }

  @Handles('faces.findSimilar')
  findSimilar(request: RequestOf<'faces.findSimilar'>): Promise<ReplyOf<'faces.findSimilar'>> {
    return this.recognition.findSimilar(request);
  }

  @Handles('faces.group')
  group(request: RequestOf<'faces.group'>): Promise<ReplyOf<'faces.group'>> {
    return this.recognition.group(request);
  }
}
