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
import { addedFaceData, deletedData, listFaceData, ok } from './envelope.presenter';

/** The faces of a face list or large face list. */
export function envelopeListFacesController(kind: CollectionKind) {
  @Dialect('envelope')
  @Controller(`${collectionRoutes[kind].segment}/:groupId/persistedfaces`)
  class EnvelopeListFacesController {
    constructor(private readonly faces: FacesUseCases) {}

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
      const added = await this.faces.add(caller, list, imageInputOf(request), query, idempotencyKey, 'envelope');
      return ok(addedFaceData(added));
    }

    @Get()
    async list(@CurrentCaller() caller: Caller, @GroupParam(kind) list: GroupPath, @Query() query: ListQuery) {
      return ok((await this.faces.listFaces(caller, list, query)).map(listFaceData));
    }

    @Get(':persistedFaceId')
    async get(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) list: GroupPath,
      @PersistedFaceIdParam() persistedFaceId: string,
    ) {
      return ok(listFaceData(await this.faces.getListFace(caller, list, persistedFaceId)));
    }

    @Patch(':persistedFaceId')
    async update(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) list: GroupPath,
      @PersistedFaceIdParam() persistedFaceId: string,
      @Body() body: UpdateFaceBody,
      @IdempotencyKey() idempotencyKey?: string,
    ) {
      return ok(listFaceData(await this.faces.updateListFace(caller, list, persistedFaceId, body, idempotencyKey)));
    }

    @Delete(':persistedFaceId')
    async delete(
      @CurrentCaller() caller: Caller,
      @GroupParam(kind) list: GroupPath,
      @PersistedFaceIdParam() persistedFaceId: string,
      @IdempotencyKey() idempotencyKey?: string,
    ) {
      await this.faces.deleteListFace(caller, list, persistedFaceId, idempotencyKey);
      return ok(deletedData(persistedFaceId));
    }
  }
  return nameController(EnvelopeListFacesController, 'Envelope', kind, 'Faces');
}
