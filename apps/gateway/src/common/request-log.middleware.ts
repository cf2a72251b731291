/**
 * Gives each request an id (the caller's x-request-id when it is sane) that travels with every message it
 * causes, and logs one JSON line per request: method, path, status, duration. Never bodies, queries or keys.
 */
import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import { Metrics } from '#observability';
import type { CallerRequest } from './caller';

interface Request extends CallerRequest {
  method: string;
  path: string;
  baseUrl?: string;
  route?: { path?: string };
  headers: Record<string, string | string[] | undefined>;
}

interface Response {
  statusCode: number;
  setHeader(name: string, value: string): void;
  on(event: 'finish', listener: () => void): void;
}

@Injectable()
export class RequestLogMiddleware implements NestMiddleware<Request, Response> {
  private readonly logger = new Logger('http');

  use(request: Request, response: Response, next: () => void): void {
    const offered = request.headers['x-request-id'];
    const requestId = typeof offered === 'string' && /^[A-Za-z0-9._-]{1,128}$/.test(offered) ? offered : randomUUID();
    request.requestId = requestId;
    response.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Route templates, not paths, keep the label set small (ids stay out of the metric).
      const route = request.route?.path ? `${request.baseUrl ?? ''}${request.route.path}` : 'unmatched';
      Metrics.httpRequestDuration.observe(
        { method: request.method, route, status: String(response.statusCode) },
        ms / 1000,
      );
      this.logger.log({
        requestId,
        tenant: request.caller?.tenantId,
        method: request.method,
        path: request.path,
        status: response.statusCode,
        ms: Math.round(ms * 10) / 10,
      });
    });
    next();
  }
}
