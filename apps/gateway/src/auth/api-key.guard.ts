import { randomUUID } from 'node:crypto';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { VisageError } from '#contracts';
import type { CallerRequest } from '../common/caller';
import { ApiKeys, defaultTenant } from './api-keys';
import { IS_PUBLIC } from './public.decorator';

interface HttpRequest extends CallerRequest {
  headers: Record<string, string | string[] | undefined>;
}

/** Every route needs a key unless marked @Public(); with no keys configured the gateway is loopback-only. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeys,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const requestId = request.requestId ?? randomUUID();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      return true;
    }
    if (!this.keys.configured) {
      request.caller = { tenantId: defaultTenant, requestId };
      return true;
    }
    const tenantId = this.keys.tenantOf(presentedKey(request.headers) ?? '');
    if (tenantId === undefined) throw new VisageError('UNAUTHORIZED');
    request.caller = { tenantId, requestId };
    return true;
  }
}

function presentedKey(headers: HttpRequest['headers']): string | undefined {
  const subscriptionKey = headers['ocp-apim-subscription-key'];
  if (typeof subscriptionKey === 'string' && subscriptionKey.length > 0) return subscriptionKey;
  const authorization = headers['authorization'];
  if (typeof authorization === 'string' && /^Bearer\s+/i.test(authorization)) {
    return authorization.replace(/^Bearer\s+/i, '');
  }
  return undefined;
}
