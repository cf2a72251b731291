import { Controller } from '@nestjs/common';
import type { RequestOf, ReplyOf } from '#contracts';
import { Handles } from '#messaging';
import { FacesService } from './faces.service';

@Controller()
export class FacesController {
  constructor(private readonly faces: FacesService) {}

  @Handles('faces.add')
  add(request: RequestOf<'faces.add'>): Promise<ReplyOf<'faces.add'>> {
    return this.faces.add(request);
  }

  @Handles('faces.delete')
  delete(request: RequestOf<'faces.delete'>): Promise<ReplyOf<'faces.delete'>> {
    return this.faces.delete(request);
  }

  @Handles('faces.get')
  get(request: RequestOf<'faces.get'>): Promise<ReplyOf<'faces.get'>> {
    return this.faces.get(request);
  }

  @Handles('faces.update')
  update(request: RequestOf<'faces.update'>): Promise<ReplyOf<'faces.update'>> {
    return this.faces.update(request);
  }
}
