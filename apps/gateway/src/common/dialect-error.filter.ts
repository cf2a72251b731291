/**
 * Every error leaves the gateway through here: anything thrown becomes a catalogue entry, rendered in the
 * dialect of the route (Azure under /face/, envelope elsewhere). Unknown errors are logged, never shown.
 */
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { VisageError } from '#contracts';
import { renderAzureError } from '../azure/azure.presenter';
import { renderEnvelopeError } from '../envelope/envelope.presenter';

interface HttpResponse {
  status(code: number): HttpResponse;
  setHeader(name: string, value: string): void;
  getHeader(name: string): unknown;
  json(body: unknown): void;
  headersSent: boolean;
}

interface HttpRequestLike {
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

@Catch()
export class DialectErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('gateway');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    const response = http.getResponse<HttpResponse>();
    const error = this.toCatalogue(exception, request);
    if (response.headersSent) return;
    if (error.entry.retryable && !response.getHeader('Retry-After')) response.setHeader('Retry-After', '1');
    const azure = /^\/face\//i.test(request.path);
    const body = azure ? renderAzureError(error) : renderEnvelopeError(error);
    if (azure) response.setHeader('x-ms-error-code', error.entry.azureCode);
    response.status(error.entry.status).json(body);
  }

  private toCatalogue(exception: unknown, request: HttpRequestLike): VisageError {
    if (exception instanceof VisageError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const type = (exception.getResponse() as { type?: string })?.type ?? (exception.cause as { type?: string })?.type;
      if (status === 404) return new VisageError('ROUTE_NOT_FOUND');
      if (status === 413) {
        const isImage = String(request.headers['content-type'] ?? '').startsWith('application/octet-stream');
        return new VisageError(isImage ? 'IMAGE_TOO_LARGE' : 'BODY_TOO_LARGE');
      }
      if (status === 400 && (type === 'entity.parse.failed' || /JSON/i.test(exception.message))) {
        return new VisageError('INVALID_JSON');
      }
      if (status === 415) return new VisageError('UNSUPPORTED_MEDIA_TYPE');
      if (status < 500) return new VisageError('VALIDATION_ERROR', exception.message);
    }
    const bodyParserError = exception as { type?: string; status?: number };
    if (bodyParserError?.type === 'entity.too.large') return this.toCatalogue(new HttpException('', 413), request);
    if (bodyParserError?.type === 'entity.parse.failed') return new VisageError('INVALID_JSON');
    this.logger.error(`Unhandled error on ${request.path}: ${(exception as Error)?.stack ?? String(exception)}`);
    return new VisageError('INTERNAL_ERROR');
  }
}
