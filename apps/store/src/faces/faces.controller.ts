import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { RequestOf, ReplyOf } from '#contracts';
import { FacesService } from './faces.service';

@Controller()
export class FacesController {
  constructor(private readonly faces: FacesService) {}

  @MessagePattern('faces.add')
  add(@Payload() request: RequestOf<'faces.add'>): Promise<ReplyOf<'faces.add'>> {
    return this.faces.add(request);
  }

  @MessagePattern('faces.delete')
  delete(@Payload() request: RequestOf<'faces.delete'>): Promise<ReplyOf<'faces.delete'>> {
    return this.faces.delete(request);
  }

  @MessagePattern('faces.get')
  get(@Payload() request: RequestOf<'faces.get'>): Promise<ReplyOf<'faces.get'>> {
    return this.faces.get(request);
  }

  @MessagePattern('faces.update')
  update(@Payload() request: RequestOf<'faces.update'>): Promise<ReplyOf<'faces.update'>> {
    return this.faces.update(request);
  }
}
