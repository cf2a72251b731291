import { Controller } from '@nestjs/common';
import type { RequestOf, ReplyOf } from '#contracts';
import { Handles } from '#messaging';
import { GroupsService } from './groups.service';

@Controller()
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Handles('groups.create')
  create(request: RequestOf<'groups.create'>): Promise<ReplyOf<'groups.create'>> {
    return this.groups.create(request);
  }

  @Handles('groups.get')
  get(request: RequestOf<'groups.get'>): Promise<ReplyOf<'groups.get'>> {
    return this.groups.get(request);
  }

  @Handles('groups.list')
  list(request: RequestOf<'groups.list'>): Promise<ReplyOf<'groups.list'>> {
    return this.groups.list(request);
  }

  @Handles('groups.update')
  update(request: RequestOf<'groups.update'>): Promise<ReplyOf<'groups.update'>> {
    return this.groups.update(request);
  }

  @Handles('groups.delete')
  delete(request: RequestOf<'groups.delete'>): Promise<ReplyOf<'groups.delete'>> {
    return this.groups.delete(request);
  }
}
