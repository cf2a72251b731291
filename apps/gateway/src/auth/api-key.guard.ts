import { randomUUID } from 'node:crypto';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { VisageError } from '#contracts';
import { RequestTimings } from '#messaging';
import { ApiKeys, defaultTenant } from './api-keys';
import type { AuthenticatedRequest } from './authenticated-request';
import { IS_PUBLIC } from './public.decorator';

/** Every route needs a key unless marked @Public(); with no keys configured the gateway is loopback-only. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeys,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const requestId = request.requestId ?? randomUUID();
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      return true;
    }
    if (!this.keys.configured) {
      request.caller = { tenantId: defaultTenant, requestId, timings: new RequestTimings() };
      return true;
    }
    const apiKey = this.keys.find(presentedKey(request.headers) ?? '');
    if (apiKey === undefined) throw new VisageError('UNAUTHORIZED');
    request.apiKey = apiKey;
    request.caller = { tenantId: apiKey.tenantId, requestId, timings: new RequestTimings() };
    return true;
  }
}

/** The key a request carries in Ocp-Apim-Subscription-Key or Authorization: Bearer, if any. */
export function presentedKey(headers: AuthenticatedRequest['headers']): string | undefined {
  const subscriptionKey = headers['ocp-apim-subscription-key'];
  if (typeof subscriptionKey === 'string' && subscriptionKey.length > 0) return subscriptionKey;
  const authorization = headers['authorization'];
  if (typeof authorization === 'string' && /^Bearer\s+/i.test(authorization)) {
    return authorization.replace(/^Bearer\s+/i, '');
  }
  return undefined;
}
