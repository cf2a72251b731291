import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Req } from '@nestjs/common';
import type { Caller } from '../common/caller';
import { CurrentCaller } from '../common/caller.decorator';
import { IdempotencyKey } from '../common/idempotency-key.decorator';
import { imageInputOf, type RequestWithBody } from '../common/image-input';
import { GroupIdParam, PersistedFaceIdParam, PersonIdParam } from '../common/validation';
import { AddFaceQuery, UpdateFaceBody } from '../faces/faces.dto';
import { FacesUseCases } from '../faces/faces.use-cases';
import { azureAddedFace, azureFace } from './azure.presenter';
import { azurePaths } from './azure.routes';
import { TakesImage } from '../request-body/takes-image.decorator';

@Controller(azurePaths('largepersongroups/:groupId/persons/:personId/persistedfaces'))
export class AzureFacesController {
  constructor(private readonly faces: FacesUseCases) {}

  /** "Add from stream" and "add from URL" share this route; the Content-Type picks one. */
  @Post()
  @HttpCode(200)
  @TakesImage()
  async add(
    @CurrentCaller() caller: Caller,
    @GroupIdParam() groupId: string,
    @PersonIdParam() personId: string,
    @Query() query: AddFaceQuery,
    @Req() request: RequestWithBody,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    const image = imageInputOf(request);
    return azureAddedFace(await this.faces.add(caller, { groupId, personId }, image, query, idempotencyKey, 'azure'));
  }

  @Get(':persistedFaceId')
  async get(
    @CurrentCaller() caller: Caller,
    @GroupIdParam() groupId: string,
    @PersonIdParam() personId: string,
    @PersistedFaceIdParam() persistedFaceId: string,
  ) {
    return azureFace(await this.faces.get(caller, { groupId, personId }, persistedFaceId));
  }

  @Patch(':persistedFaceId')
  async update(
    @CurrentCaller() caller: Caller,
    @GroupIdParam() groupId: string,
    @PersonIdParam() personId: string,
    @PersistedFaceIdParam() persistedFaceId: string,
    @Body() body: UpdateFaceBody,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<void> {
    await this.faces.update(caller, { groupId, personId }, persistedFaceId, body, idempotencyKey);
  }

  @Delete(':persistedFaceId')
  async delete(
    @CurrentCaller() caller: Caller,
    @GroupIdParam() groupId: string,
    @PersonIdParam() personId: string,
    @PersistedFaceIdParam() persistedFaceId: string,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<void> {
    await this.faces.delete(caller, { groupId, personId }, persistedFaceId, idempotencyKey);
  }
}
