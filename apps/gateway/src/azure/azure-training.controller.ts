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
import { azureTrainingStatus } from './azure.presenter';
import { azurePaths } from './azure.routes';

/** Training of a kind that is trained (every kind but face lists), in the Azure dialect. */
export function azureTrainingController(kind: CollectionKind) {
  @Dialect('azure')
  @Controller(azurePaths(collectionRoutes[kind].segment))
  class AzureTrainingController {
    constructor(private readonly training: TrainingUseCases) {}

    /** 202 with an empty body and an absolute operation-Location, which the REST client's poller follows. */
    @Post(':groupId/train')
    @HttpCode(202)
    async train(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @Req() request: UrlSource & { path: string },
      @Res({ passthrough: true }) response: HeaderSink,
      @IdempotencyKey() idempotencyKey?: string,
    ): Promise<void> {
      await this.training.start(caller, group, idempotencyKey);
      response.setHeader('operation-Location', absoluteUrl(request, request.path.replace(/\/train$/, '/training')));
    }

    @Get(':groupId/training')
    async trainingStatus(@CurrentCaller() caller: Caller, @GroupParam(kind) group: GroupPath) {
      return azureTrainingStatus(await this.training.status(caller, group));
    }
  }
  return nameController(AzureTrainingController, 'Azure', kind, 'Training');
}
