import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import type { ReplyOf, RequestOf } from '#contracts';
import type { MessageContext } from '#messaging';
import { Metrics } from '#observability';
import { ExtractionPool } from './extraction-pool';

@Controller()
export class ExtractionController {
  constructor(private readonly pool: ExtractionPool) {}

  @MessagePattern('detector.extract')
  async extract(
    @Payload() request: RequestOf<'detector.extract'>,
    @Ctx() context: MessageContext,
  ): Promise<ReplyOf<'detector.extract'>> {
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

  @MessagePattern('detector.status')
  status(): ReplyOf<'detector.status'> {
    return this.pool.status();
  }
}
