/**
 * The small HTTP server of the detector and store processes, which have no API of their own: liveness at
 * /health, readiness (with what the process depends on) at /ready, Prometheus metrics at /metrics.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsRegistry } from './metrics';

export type ReadinessCheck = () => Promise<Record<string, unknown>>;

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
        (error: Error) => send(503, 'application/json', JSON.stringify({ status: 'not ready', reason: error.message })),
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
