import type { LogLevel } from '@nestjs/common';

/** LOG_LEVEL (debug, info, warn, error) as the log levels Nest's logger prints. */
export function nestLogLevels(level: string): LogLevel[] {
  const order: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];
  const cut = { error: 1, warn: 2, info: 3, debug: 4 }[level] ?? 3;
  return order.slice(0, cut);
}
