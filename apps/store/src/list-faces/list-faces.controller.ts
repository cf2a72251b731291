import { Controller } from '@nestjs/common';
import type { ReplyOf, RequestOf } from '#contracts';
import { Handles } from '#messaging';
import { ListFacesService } from './list-faces.service';

@Controller()
export class ListFacesController {
  constructor(private readonly faces: ListFacesService) {}

  @Handles('listFaces.add')
  add(request: RequestOf<'listFaces.add'>): Promise<ReplyOf<'listFaces.add'>> {
    return this.faces.add(request);
  }

  @Handles('listFaces.delete')
  delete(request: RequestOf<'listFaces.delete'>): Promise<ReplyOf<'listFaces.delete'>> {
    return this.faces.delete(request);
  }

  @Handles('listFaces.get')
  get(request: RequestOf<'listFaces.get'>): Promise<ReplyOf<'listFaces.get'>> {
    return this.faces.get(request);
  }

  @Handles('listFaces.list')
  list(request: RequestOf<'listFaces.list'>): Promise<ReplyOf<'listFaces.list'>> {
    return this.faces.list(request);
  }

  @Handles('listFaces.update')
  update(request: RequestOf<'listFaces.update'>): Promise<ReplyOf<'listFaces.update'>> {
    return this.faces.update(request);
  }

  @Handles('lists.enrolmentTarget')
  enrolmentTarget(request: RequestOf<'lists.enrolmentTarget'>): Promise<ReplyOf<'lists.enrolmentTarget'>> {
    return this.faces.enrolmentTarget(request);
  }
}
