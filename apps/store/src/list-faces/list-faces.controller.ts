import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { ReplyOf, RequestOf } from '#contracts';
import { ListFacesService } from './list-faces.service';

@Controller()
export class ListFacesController {
  constructor(private readonly faces: ListFacesService) {}

  @MessagePattern('listFaces.add')
  add(@Payload() request: RequestOf<'listFaces.add'>): Promise<ReplyOf<'listFaces.add'>> {
    return this.faces.add(request);
  }

  @MessagePattern('listFaces.delete')
  delete(@Payload() request: RequestOf<'listFaces.delete'>): Promise<ReplyOf<'listFaces.delete'>> {
    return this.faces.delete(request);
  }

  @MessagePattern('listFaces.get')
  get(@Payload() request: RequestOf<'listFaces.get'>): Promise<ReplyOf<'listFaces.get'>> {
    return this.faces.get(request);
  }

  @MessagePattern('listFaces.list')
  list(@Payload() request: RequestOf<'listFaces.list'>): Promise<ReplyOf<'listFaces.list'>> {
    return this.faces.list(request);
  }

  @MessagePattern('listFaces.update')
  update(@Payload() request: RequestOf<'listFaces.update'>): Promise<ReplyOf<'listFaces.update'>> {
    return this.faces.update(request);
  }

  @MessagePattern('lists.enrolmentTarget')
  enrolmentTarget(@Payload() request: RequestOf<'lists.enrolmentTarget'>): Promise<ReplyOf<'lists.enrolmentTarget'>> {
    return this.faces.enrolmentTarget(request);
  }
}
