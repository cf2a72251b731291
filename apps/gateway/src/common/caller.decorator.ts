import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Caller, CallerRequest } from './caller';

export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const request = context.switchToHttp().getRequest<CallerRequest>();
  if (!request.caller) throw new Error('Route reached without an authenticated caller');
  return request.caller;
});
