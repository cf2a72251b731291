import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Req } from '@nestjs/common';
import type { CollectionKind } from '#contracts';
import type { Caller } from '../common/caller';
import { CurrentCaller } from '../common/caller.decorator';
import { Dialect } from '../common/dialect';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { imageInputOf, type RequestWithBody } from '../common/image-input';
import { GroupParam, PersistedFaceIdParam } from '../common/validation';
import { AddFaceQuery, UpdateFaceBody } from '../faces/faces.dto';
import { ListQuery } from '../groups/groups.dto';
import { FacesUseCases } from '../faces/faces.use-cases';
import { collectionRoutes, nameController, type GroupPath } from '../groups/collection-routes';
import { TakesImage } from '../request-body/takes-image.decorator';
import { azureAddedFace, azureFace } from './azure.presenter';
import { azurePaths } from './azure.routes';

/** The faces of a face list or large face list in the Azure dialect. */
export function azureListFacesController(kind: CollectionKind) {
  @Dialect('azure')
  @Controller(azurePaths(`${collectionRoutes[kind].segment}/:groupId/persistedfaces`))
  class AzureListFacesController {
    constructor(private readonly faces: FacesUseCases) {}

    /** "Add from stream" and "add from URL" share this route; the Content-Type picks one. */
    @Post()
    @HttpCode(200)
    @TakesImage()
    async add(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) list: GroupPath,
      @Query() query: AddFaceQuery,
      @Req() request: RequestWithBody,
      @IdempotencyKey() idempotencyKey?: string,
    ) {
      return azureAddedFace(await this.faces.add(caller, list, imageInputOf(request), query, idempotencyKey, 'azure'));
    }

    @Get()
    async list(@CurrentCaller() caller: Caller, @GroupParam(kind) list: GroupPath, @Query() query: ListQuery) {
      return (await this.faces.listFaces(caller, list, query)).map(azureFace);
    }

    @Get(':persistedFaceId')
    async get(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) list: GroupPath,
      @PersistedFaceIdParam() persistedFaceId: string,
    ) {
      return azureFace(await this.faces.getListFace(caller, list, persistedFaceId));
    }

    @Patch(':persistedFaceId')
    async update(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) list: GroupPath,
      @PersistedFaceIdParam() persistedFaceId: string,
      @Body() body: UpdateFaceBody,
      @IdempotencyKey() idempotencyKey?: string,
    ): Promise<void> {
      await this.faces.updateListFace(caller, list, persistedFaceId, body, idempotencyKey);
    }

    @Delete(':persistedFaceId')
    async delete(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) list: GroupPath,
      @PersistedFaceIdParam() persistedFaceId: string,
      @IdempotencyKey() idempotencyKey?: string,
    ): Promise<void> {
      await this.faces.deleteListFace(caller, list, persistedFaceId, idempotencyKey);
    }
  }
  return nameController(AzureListFacesController, 'Azure', kind, 'Faces');
}
