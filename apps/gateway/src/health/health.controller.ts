import { Controller, Get, Req, Res } from '@nestjs/common';
import { presentedKey } from '../auth/api-key.guard';
import { ApiKeys } from '../auth/api-keys';
import type { AuthenticatedRequest } from '../auth/authenticated-request';
import { Public } from '../auth/public.decorator';
import { Dialect } from '../common/dialect';
import { ReadinessProbe, readinessDetails } from './readiness-probe';

interface StatusResponse {
  status(code: number): StatusResponse;
  json(body: unknown): void;
}

@Dialect('envelope')
@Controller()
export class HealthController {
  constructor(
    private readonly probe: ReadinessProbe,
    private readonly keys: ApiKeys,
  ) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  /**
   * Readiness: the messaging is connected and a detector and a store answer. Anyone may ask whether the service
   * is up; how it runs and what each part answered (backend, shards, error text) is for callers with a valid key,
   * the ops port, and everyone on a service without keys (which listens on loopback only).
   */
  @Public()
  @Get('ready')
  async ready(@Req() request: AuthenticatedRequest, @Res() response: StatusResponse): Promise<void> {
    const readiness = await this.probe.current();
    const status = readiness.ready ? 'ready' : 'not ready';
    const details = !this.keys.configured || this.keys.find(presentedKey(request.headers) ?? '') !== undefined;
    response
      .status(readiness.ready ? 200 : 503)
      .json(details ? { status, ...readinessDetails(readiness) } : { status });
  }
}
