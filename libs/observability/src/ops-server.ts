/**
 * The small HTTP server of every process for probes and scraping, apart from the gateway's public API: liveness
 * at /health, readiness (with what the process depends on) at /ready, Prometheus metrics at /metrics.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsRegistry } from './metrics';

export type ReadinessCheck = () => Promise<Record<string, unknown>>;

/** Thrown by a readiness check to answer 503 with what each dependency said, not only a reason. */
export class NotReadyError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'NotReadyError';
  }
}

export async function startOpsServer(host: string, port: number, ready: ReadinessCheck): Promise<Server> {
  const server = createServer((request, response) => {
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type }).end(body);
    };
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') return send(405, 'text/plain', 'Method not allowed');
    if (path === '/health') return send(200, 'application/json', JSON.stringify({ status: 'ok' }));
    if (path === '/metrics') {
      void metricsRegistry.metrics().then((text) => send(200, metricsRegistry.contentType, text));
      return;
    }
    if (path === '/ready') {
      ready().then(
        (details) => send(200, 'application/json', JSON.stringify({ status: 'ready', ...details })),
        (error: Error) => {
          const details = error instanceof NotReadyError ? error.details : {};
          send(503, 'application/json', JSON.stringify({ status: 'not ready', reason: error.message, ...details }));
        },
      );
      return;
    }
    send(404, 'text/plain', 'Not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

export function boundPort(server: Server): number {
  return (server.address() as AddressInfo).port;
}
