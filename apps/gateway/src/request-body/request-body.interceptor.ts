import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { Limits, VisageError } from '#contracts';
import { mediaTypeOf, parseJsonBody, readBody, type BodyLimit } from './body-reader';
import { TAKES_IMAGE } from './takes-image.decorator';

const jsonLimit: BodyLimit = { maxBytes: 256 * 1024, tooLarge: () => new VisageError('BODY_TOO_LARGE') };
const imageLimit: BodyLimit = {
  maxBytes: Limits.imageMaxBytes,
  tooLarge: () => new VisageError('IMAGE_TOO_LARGE', `Image is larger than ${Limits.imageMaxBytes} bytes.`),
};

/**
 * Reads the body once the guards have let the request through (interceptors run after guards), so a request
 * without a valid key, or over its limits, is answered before any of its body is read. JSON bodies go to every
 * route; raw image bytes only to routes marked @TakesImage(); anything else is left unread.
 */
@Injectable()
export class RequestBodyInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<IncomingMessage & { body?: unknown }>();
    const response = http.getResponse<ServerResponse>();
    const mediaType = mediaTypeOf(request);
    if (mediaType === 'application/json') {
      request.body = parseJsonBody(await readBody(request, response, jsonLimit), request);
    } else if (mediaType === 'application/octet-stream' && this.takesImage(context)) {
      request.body = await readBody(request, response, imageLimit);
    }
    return next.handle();
  }

  private takesImage(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean>(TAKES_IMAGE, [context.getHandler(), context.getClass()]) === true;
  }
}
