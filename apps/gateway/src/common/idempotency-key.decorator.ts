import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { VisageError } from '#contracts';

/** The optional Idempotency-Key header: 1-255 visible ASCII characters. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['idempotency-key'];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(value)) {
    throw new VisageError('VALIDATION_ERROR', 'Idempotency-Key must be 1-255 visible ASCII characters.');
  }
  return value;
});
