import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { ReplyOf, RequestOf } from '#contracts';
import { ExtractionPool } from './extraction-pool';

@Controller()
export class ExtractionController {
  constructor(private readonly pool: ExtractionPool) {}

  @MessagePattern('detector.extract')
  extract(@Payload() request: RequestOf<'detector.extract'>): Promise<ReplyOf<'detector.extract'>> {
    return this.pool.extract(request);
  }

  @MessagePattern('detector.status')
  status(): ReplyOf<'detector.status'> {
    return this.pool.status();
  }
}
