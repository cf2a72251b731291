import { Controller } from '@nestjs/common';
import type { ReplyOf, RequestOf } from '#contracts';
import { Handles, type MessageContext } from '#messaging';
import { Metrics } from '#observability';
import { ExtractionPool } from './extraction-pool';

@Controller()
export class ExtractionController {
  constructor(private readonly pool: ExtractionPool) {}

  @Handles('detector.extract')
  async extract(request: RequestOf<'detector.extract'>, context: MessageContext): Promise<ReplyOf<'detector.extract'>> {
    const stop = Metrics.extractionDuration.startTimer({
      detection_model: request.detectionModel,
      recognition_model: request.recognitionModel,
      backend: this.pool.status().backend,
      purpose: request.purpose,
    });
    try {
      return await this.pool.extract(request, { deadline: context.deadline });
    } finally {
      stop();
    }
  }

  @Handles('detector.status')
  status(): ReplyOf<'detector.status'> {
    return this.pool.status();
  }
}
