import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { ReplyOf, RequestOf } from '#contracts';
import { Metrics } from '#observability';
import { ExtractionPool } from './extraction-pool';

@Controller()
export class ExtractionController {
  constructor(private readonly pool: ExtractionPool) {}

  @MessagePattern('detector.extract')
  async extract(@Payload() request: RequestOf<'detector.extract'>): Promise<ReplyOf<'detector.extract'>> {
    const stop = Metrics.extractionDuration.startTimer({
      detection_model: request.detectionModel,
      recognition_model: request.recognitionModel,
      backend: this.pool.status().backend,
      purpose: request.purpose,
    });
    try {
      return await this.pool.extract(request);
    } finally {
      stop();
    }
  }

  @MessagePattern('detector.status')
  status(): ReplyOf<'detector.status'> {
    return this.pool.status();
  }
}
