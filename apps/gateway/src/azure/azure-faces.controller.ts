import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Req } from '@nestjs/common';
import type { CollectionKind } from '#contracts';
import type { Caller } from '../common/caller';
import { CurrentCaller } from '../common/caller.decorator';
import { Dialect } from '../common/dialect';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { imageInputOf, type RequestWithBody } from '../common/image-input';
import { GroupParam, PersistedFaceIdParam, PersonIdParam } from '../common/validation';
import { AddFaceQuery, UpdateFaceBody } from '../faces/faces.dto';
import { FacesUseCases } from '../faces/faces.use-cases';
import { collectionRoutes, nameController, type GroupPath } from '../groups/collection-routes';
import { TakesImage } from '../request-body/takes-image.decorator';
import { azureAddedFace, azureFace } from './azure.presenter';
import { azurePaths } from './azure.routes';

export function azureFacesController(kind: CollectionKind) {
  @Dialect('azure')
  @Controller(azurePaths(`${collectionRoutes[kind].segment}/:groupId/persons/:personId/persistedfaces`))
  class AzureFacesController {
    constructor(private readonly faces: FacesUseCases) {}

    /** "Add from stream" and "add from URL" share this route; the Content-Type picks one. */
    @Post()
    @HttpCode(200)
    @TakesImage()
    async add(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @PersonIdParam() personId: string,
      @Query() query: AddFaceQuery,
      @Req() request: RequestWithBody,
      @IdempotencyKey() idempotencyKey?: string,
    ) {
      const image = imageInputOf(request);
      const added = await this.faces.add(caller, { ...group, personId }, image, query, idempotencyKey, 'azure');
      return azureAddedFace(added);
    }

    @Get(':persistedFaceId')
    async get(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @PersonIdParam() personId: string,
      @PersistedFaceIdParam() persistedFaceId: string,
    ) {
      return azureFace(await this.faces.get(caller, { ...group, personId }, persistedFaceId));
    }

    @Patch(':persistedFaceId')
    async update(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @PersonIdParam() personId: string,
      @PersistedFaceIdParam() persistedFaceId: string,
      @Body() body: UpdateFaceBody,
      @IdempotencyKey() idempotencyKey?: string,
    ): Promise<void> {
      await this.faces.update(caller, { ...group, personId }, persistedFaceId, body, idempotencyKey);
    }

    @Delete(':persistedFaceId')
    async delete(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) group: GroupPath,
      @PersonIdParam() personId: string,
      @PersistedFaceIdParam() persistedFaceId: string,
      @IdempotencyKey() idempotencyKey?: string,
    ): Promise<void> {
      await this.faces.delete(caller, { ...group, personId }, persistedFaceId, idempotencyKey);
    }
  }
  return nameController(AzureFacesController, 'Azure', kind, 'Faces');
}
