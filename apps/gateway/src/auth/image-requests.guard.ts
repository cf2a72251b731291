import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { VisageError } from '#contracts';
import { GatewayConfig } from '../gateway.config';
import { TAKES_IMAGE } from '../request-body/takes-image.decorator';
import { limitKeyOf, type AuthenticatedRequest } from './authenticated-request';

interface ClosingResponse {
  once(event: 'close', listener: () => void): void;
}

/**
 * Runs after the rate limit: each key may have IMAGE_REQUESTS_PER_KEY image requests open at once, from before
 * their body is read until their connection is done with the answer. This bounds the image bytes one key can make
 * the gateway hold, whatever its rate limit allows; the one past it is refused before its body is read.
 */
@Injectable()
export class ImageRequestsGuard implements CanActivate {
  private readonly open = new Map<string, number>();
  private readonly limit: number;

  constructor(
    private readonly reflector: Reflector,
    config: GatewayConfig,
  ) {
    this.limit = config.IMAGE_REQUESTS_PER_KEY;
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.limit === 0) return true;
    if (!this.reflector.getAllAndOverride<boolean>(TAKES_IMAGE, [context.getHandler(), context.getClass()]))
      return true;
    const limitKey = limitKeyOf(context.switchToHttp().getRequest<AuthenticatedRequest>());
    if (limitKey === undefined) return true;
    const count = this.open.get(limitKey) ?? 0;
    if (count >= this.limit) {
      throw new VisageError(
        'RATE_LIMITED',
        `At most ${this.limit} image requests per key may be open at once; retry when one has been answered.`,
        { retryAfterSeconds: 1 },
      );
    }
    this.open.set(limitKey, count + 1);
    // 'close' comes once per response, whether it was sent in full or its connection broke first.
    context
      .switchToHttp()
      .getResponse<ClosingResponse>()
      .once('close', () => this.release(limitKey));
    return true;
  }

  private release(limitKey: string): void {
    const count = (this.open.get(limitKey) ?? 1) - 1;
    if (count > 0) this.open.set(limitKey, count);
    else this.open.delete(limitKey);
  }
}
