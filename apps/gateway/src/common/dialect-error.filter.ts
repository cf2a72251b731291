/**
 * Every error leaves the gateway through here: anything thrown becomes a catalogue entry, rendered in a dialect.
 * A routed request's dialect is its controller's declaration (`@Dialect`, dialect.ts); a request no controller
 * took is answered by `unroutedErrorFilter`. Unknown errors are logged, never shown.
 */
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { VisageError, type ErrorKey } from '#contracts';
import { renderAzureError } from '../azure/azure.presenter';
import { isAzurePath } from '../azure/azure.routes';
import { renderEnvelopeError } from '../envelope/envelope.presenter';
import type { Dialect } from './dialect';

interface HttpResponse {
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
  headersSent: boolean;
}

interface HttpRequestLike {
  path: string;
  /** Whether the whole request, body included, has arrived. */
  complete: boolean;
}

const refusesUnread = new Set<ErrorKey>(['UNAUTHORIZED', 'RATE_LIMITED']);

@Catch()
export class DialectErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('gateway');

  constructor(private readonly dialectOf: (request: HttpRequestLike) => Dialect) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    const response = http.getResponse<HttpResponse>();
    const error = this.toCatalogue(exception, request);
    if (response.headersSent) return;
    if (error.entry.retryable) response.setHeader('Retry-After', String(error.retryAfterSeconds ?? 1));
    // A caller without a valid key or over its limits is refused without reading the rest of its body. Other
    // refusals (an image over the size limit, say) let the server discard the rest unread, so the caller's HTTP
    // client, still sending, gets to read the answer instead of a reset connection.
    if (!request.complete && refusesUnread.has(error.key)) response.setHeader('Connection', 'close');
    const azure = this.dialectOf(request) === 'azure';
    const body = azure ? renderAzureError(error) : renderEnvelopeError(error);
    if (azure) response.setHeader('x-ms-error-code', error.entry.azureCode);
    response.status(error.entry.status).json(body);
  }

  private toCatalogue(exception: unknown, request: HttpRequestLike): VisageError {
    if (exception instanceof VisageError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return new VisageError('ROUTE_NOT_FOUND');
      if (status === 415) return new VisageError('UNSUPPORTED_MEDIA_TYPE');
      if (status < 500) return new VisageError('VALIDATION_ERROR', exception.message);
    }
    this.logger.error(`Unhandled error on ${request.path}: ${(exception as Error)?.stack ?? String(exception)}`);
    return new VisageError('INTERNAL_ERROR');
  }
}

/**
 * For requests no controller took, mostly 404s: Azure's shape under Azure's path prefix (an unknown API version,
 * say, which an Azure client reads as NotFound), the envelope elsewhere.
 */
export const unroutedErrorFilter = new DialectErrorFilter((request) =>
  isAzurePath(request.path) ? 'azure' : 'envelope',
);
