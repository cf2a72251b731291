import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { RequestOf, ReplyOf } from '#contracts';
import { PersonsService } from './persons.service';

@Controller()
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  @MessagePattern('persons.create')
  create(@Payload() request: RequestOf<'persons.create'>): Promise<ReplyOf<'persons.create'>> {
    return this.persons.create(request);
  }

  @MessagePattern('persons.get')
  get(@Payload() request: RequestOf<'persons.get'>): Promise<ReplyOf<'persons.get'>> {
    return this.persons.get(request);
  }

  @MessagePattern('persons.list')
  list(@Payload() request: RequestOf<'persons.list'>): Promise<ReplyOf<'persons.list'>> {
    return this.persons.list(request);
  }

  @MessagePattern('persons.update')
  update(@Payload() request: RequestOf<'persons.update'>): Promise<ReplyOf<'persons.update'>> {
    return this.persons.update(request);
  }

  @MessagePattern('persons.enrolmentTarget')
  enrolmentTarget(
    @Payload() request: RequestOf<'persons.enrolmentTarget'>,
  ): Promise<ReplyOf<'persons.enrolmentTarget'>> {
    return this.persons.enrolmentTarget(request);
  }

  @MessagePattern('persons.delete')
  delete(@Payload() request: RequestOf<'persons.delete'>): Promise<ReplyOf<'persons.delete'>> {
    return this.persons.delete(request);
  }
}
