/**
 * The envelope API over a keep-alive HTTP/1.1 connection of node:http, for the latency benchmarks: fetch spends
 * about 1.5 ms of its own on each request here (measured against this client on the same requests), which is the
 * client's time, not the service's.
 */
import { Agent, request } from 'node:http';
import type { ApiResponse } from '../test/support/api';

export class KeepAliveApi {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly url: URL;

  constructor(baseUrl: string) {
    this.url = new URL(baseUrl);
  }

  call<T = Record<string, unknown>>(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: ApiResponse<T>['body']; serverTiming?: string }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const sent = request(
        {
          host: this.url.hostname,
          port: this.url.port,
          path: `${this.url.pathname.replace(/\/$/, '')}${route}`,
          method,
          agent: this.agent,
          headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({
                status: response.statusCode ?? 0,
                body: JSON.parse(text) as ApiResponse<T>['body'],
                serverTiming: [response.headers['server-timing'] ?? []].flat().join(', ') || undefined,
              });
            } catch {
              reject(new Error(`Non-JSON ${response.statusCode} from ${method} ${route}: ${text.slice(0, 200)}`));
            }
          });
        },
      );
      sent.on('error', reject);
      sent.end(payload);
    });
  }

  createGroup(groupId: string) {
    return this.call('PUT', `/largepersongroups/${groupId}`, { name: groupId });
  }

  close(): void {
    this.agent.destroy();
  }
}
