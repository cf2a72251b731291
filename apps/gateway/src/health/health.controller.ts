import { Controller, Get, Res } from '@nestjs/common';
import { RpcClient } from '#messaging';
import { metricsRegistry } from '#observability';
import { Public } from '../auth/public.decorator';

interface StatusResponse {
  status(code: number): StatusResponse;
  json(body: unknown): void;
  type(contentType: string): StatusResponse;
  send(body: string): void;
}

const probeTimeoutMs = 3000;

@Controller()
export class HealthController {
  constructor(private readonly rpc: RpcClient) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  /** Readiness: the broker is connected and a detector and a store replica answer. */
  @Public()
  @Get('ready')
  async ready(@Res() response: StatusResponse): Promise<void> {
    const [detector, store] = await Promise.allSettled([
      this.rpc.send('detector.status', {}, { timeoutMs: probeTimeoutMs, priority: 2 }),
      this.rpc.send('store.status', {}, { timeoutMs: probeTimeoutMs }),
    ]);
    const ready = this.rpc.connected && detector.status === 'fulfilled' && store.status === 'fulfilled';
    response.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      broker: this.rpc.connected ? 'up' : 'down',
      detector: detector.status === 'fulfilled' ? detector.value : { error: (detector.reason as Error).message },
      store: store.status === 'fulfilled' ? store.value : { error: (store.reason as Error).message },
    });
  }

  /** Prometheus metrics of this gateway process. */
  @Public()
  @Get('metrics')
  async metrics(@Res() response: StatusResponse): Promise<void> {
    response.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  }
}
