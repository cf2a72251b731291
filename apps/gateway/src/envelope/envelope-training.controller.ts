import { Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { CollectionKind } from '#contracts';
import { absoluteUrl, type UrlSource } from '../common/absolute-url';
import type { Caller } from '../common/caller';
import { CurrentCaller } from '../common/caller.decorator';
import { Dialect } from '../common/dialect';
import type { HeaderSink } from '../common/header-sink';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { GroupParam } from '../common/validation';
import { collectionRoutes, nameController, type GroupPath } from '../groups/collection-routes';
import { TrainingUseCases } from '../training/training.use-cases';
import { ok, trainingData } from './envelope.presenter';

/** Training of a kind that is trained (every kind but face lists). */
export function envelopeTrainingController(kind: CollectionKind) {
  const segment = collectionRoutes[kind].segment;

  @Dialect('envelope')
  @Controller(segment)
  class EnvelopeTrainingController {
    constructor(private readonly training: TrainingUseCases) {}

    @Post(':groupId/train')
    @HttpCode(202)
    async train(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @Req() request: UrlSource,
      @Res({ passthrough: true }) response: HeaderSink,
      @IdempotencyKey() idempotencyKey?: string,
    ) {
      const status = await this.training.start(caller, group, idempotencyKey);
      response.setHeader('operation-Location', absoluteUrl(request, `/${segment}/${group.groupId}/training`));
      return ok(trainingData(status));
    }

    @Get(':groupId/training')
    async trainingStatus(@CurrentCaller() caller: Caller, @GroupParam(kind) group: GroupPath) {
      return ok(trainingData(await this.training.status(caller, group)));
    }
  }
  return nameController(EnvelopeTrainingController, 'Envelope', kind, 'Training');
}
