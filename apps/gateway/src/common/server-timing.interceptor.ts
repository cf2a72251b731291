import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { tap, type Observable } from 'rxjs';
import type { CallerRequest } from './caller';
import type { HeaderSink } from './header-sink';

/** Adds Server-Timing (time spent in each service this request reached) to successful answers. */
@Injectable()
export class ServerTimingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<CallerRequest>();
    const response = http.getResponse<HeaderSink>();
    return next.handle().pipe(
      tap(() => {
        const header = request.caller?.timings?.header();
        if (header && !response.headersSent) response.setHeader('Server-Timing', header);
      }),
    );
  }
}
