import { Controller } from '@nestjs/common';
import type { RequestOf, ReplyOf } from '#contracts';
import { Handles } from '#messaging';
import { PersonsService } from './persons.service';

@Controller()
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  @Handles('persons.create')
  create(request: RequestOf<'persons.create'>): Promise<ReplyOf<'persons.create'>> {
    return this.persons.create(request);
  }

  @Handles('persons.get')
  get(request: RequestOf<'persons.get'>): Promise<ReplyOf<'persons.get'>> {
    return this.persons.get(request);
  }

  @Handles('persons.list')
  list(request: RequestOf<'persons.list'>): Promise<ReplyOf<'persons.list'>> {
    return this.persons.list(request);
  }

  @Handles('persons.update')
  update(request: RequestOf<'persons.update'>): Promise<ReplyOf<'persons.update'>> {
    return this.persons.update(request);
  }

  @Handles('persons.enrolmentTarget')
  enrolmentTarget(request: RequestOf<'persons.enrolmentTarget'>): Promise<ReplyOf<'persons.enrolmentTarget'>> {
    return this.persons.enrolmentTarget(request);
  }

  @Handles('persons.delete')
  delete(request: RequestOf<'persons.delete'>): Promise<ReplyOf<'persons.delete'>> {
    return this.persons.delete(request);
  }
}
