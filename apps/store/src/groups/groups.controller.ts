import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { RequestOf, ReplyOf } from '#contracts';
import { GroupsService } from './groups.service';

@Controller()
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @MessagePattern('groups.create')
  create(@Payload() request: RequestOf<'groups.create'>): Promise<ReplyOf<'groups.create'>> {
    return this.groups.create(request);
  }

  @MessagePattern('groups.get')
  get(@Payload() request: RequestOf<'groups.get'>): Promise<ReplyOf<'groups.get'>> {
    return this.groups.get(request);
  }

  @MessagePattern('groups.list')
  list(@Payload() request: RequestOf<'groups.list'>): Promise<ReplyOf<'groups.list'>> {
    return this.groups.list(request);
  }

  @MessagePattern('groups.update')
  update(@Payload() request: RequestOf<'groups.update'>): Promise<ReplyOf<'groups.update'>> {
    return this.groups.update(request);
  }

  @MessagePattern('groups.delete')
  delete(@Payload() request: RequestOf<'groups.delete'>): Promise<ReplyOf<'groups.delete'>> {
    return this.groups.delete(request);
  }
}
