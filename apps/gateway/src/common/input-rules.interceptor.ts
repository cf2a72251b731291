/**
 * Rules every route's input follows before any DTO sees it, in one place for both dialects: no string holds
 * the NUL character (Postgres cannot store it), in the body at any depth, field names included, the query, the
 * path or the headers; and JSON nests at most `Limits.jsonMaxDepth` objects and arrays (validation recurses
 * and would overflow the stack on deeper input).
 */
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { Limits, VisageError } from '#contracts';

export interface InputSource {
  body?: unknown;
  query?: unknown;
  params?: unknown;
  headers?: unknown;
}

@Injectable()
export class InputRulesInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const breach = inputRuleBreach(context.switchToHttp().getRequest<InputSource>());
    return breach ? throwError(() => new VisageError('VALIDATION_ERROR', breach)) : next.handle();
  }
}

/** What the request's input breaks, said for the caller, or undefined when it follows the rules. */
export function inputRuleBreach(request: InputSource, maxDepth: number = Limits.jsonMaxDepth): string | undefined {
  const parts: [string, unknown][] = [
    ['body', request.body],
    ['query', request.query],
    ['path', request.params],
    ['header', request.headers],
  ];
  for (const [where, value] of parts) {
    const breach = breachIn(value, where, maxDepth);
    if (breach) return breach;
  }
  return undefined;
}

/** Walks with its own stack, not by recursion: the input may nest far deeper than the call stack allows. */
function breachIn(root: unknown, where: string, maxDepth: number): string | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: root, path: where, depth: 1 }];
  while (pending.length > 0) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\0')) return `${path} must not contain the NUL character (U+0000).`;
      continue;
    }
    if (!isJsonContainer(value)) continue;
    if (depth > maxDepth) return `The ${where} nests objects and arrays deeper than ${maxDepth} levels.`;
    for (const [key, child] of Object.entries(value)) {
      if (key.includes('\0')) return `Field names in the ${where} must not contain the NUL character (U+0000).`;
      pending.push({
        value: child,
        path: Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`,
        depth: depth + 1,
      });
    }
  }
  return undefined;
}

/** Arrays and plain objects; a raw image body (a Buffer) is bytes, not text, and is not walked. */
function isJsonContainer(value: unknown): value is object {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
