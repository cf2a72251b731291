/**
 * A route that reads a JSON body (a `@Body()` DTO) refuses a body of another content type with 415 naming
 * the expected one: unparsed, such a body would reach validation as empty and be reported field by field.
 * Image routes read their body themselves and say what they accept (image-input.ts).
 */
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor, type Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { throwError, type Observable } from 'rxjs';
import { VisageError } from '#contracts';

interface RequestHeaders {
  headers: Record<string, string | string[] | undefined>;
}

@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  private readonly readsJson = new WeakMap<object, boolean>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<RequestHeaders>();
    if (this.takesJsonBody(context.getClass(), context.getHandler()) && !isJsonOrEmpty(request)) {
      return throwError(
        () =>
          new VisageError(
            'UNSUPPORTED_MEDIA_TYPE',
            'Content-Type must be application/json for this route (curl: -H "content-type: application/json").',
          ),
      );
    }
    return next.handle();
  }

  private takesJsonBody(controller: Type, handler: { name: string }): boolean {
    let known = this.readsJson.get(handler);
    if (known === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as object;
      // Nest keys each argument `${RouteParamtypes}:${index}`.
      known = Object.keys(args).some((key) => Number(key.split(':')[0]) === RouteParamtypes.BODY);
      this.readsJson.set(handler, known);
    }
    return known;
  }
}

function isJsonOrEmpty(request: RequestHeaders): boolean {
  const { headers } = request;
  const hasBody = Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
  if (!hasBody) return true;
  const mediaType = String(headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  return mediaType === 'application/json';
}
