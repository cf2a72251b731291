import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { VisageError } from '#contracts';
import { GatewayConfig } from '../gateway.config';
import { limitKeyOf, type AuthenticatedRequest } from './authenticated-request';
import { TokenBuckets } from './token-buckets';

/** More buckets than any key list needs; bounds the map whatever happens. */
const maxBuckets = 10_000;

/**
 * Runs after ApiKeyGuard: one token bucket per API key, or per tenant when no keys are configured. Public
 * routes (health probes, the API description) have no caller and are never limited.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly buckets: TokenBuckets | undefined;

  constructor(config: GatewayConfig) {
    this.buckets =
      config.RATE_LIMIT_PER_SECOND > 0
        ? new TokenBuckets({ ratePerSecond: config.RATE_LIMIT_PER_SECOND, burst: config.RATE_LIMIT_BURST, maxBuckets })
        : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const limitKey = limitKeyOf(request);
    if (this.buckets === undefined || limitKey === undefined) return true;
    const result = this.buckets.take(limitKey);
    if (result.allowed) return true;
    const { retryAfterSeconds } = result;
    throw new VisageError('RATE_LIMITED', `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.`, {
      retryAfterSeconds,
    });
  }
}
