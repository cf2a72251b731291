/** Settings every service shares. */
import 'reflect-metadata';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Env } from './load-config';

export class BrokerConfig {
  /** RabbitMQ connection URL. */
  @Env()
  @Matches(/^amqps?:\/\//, { message: 'must be an amqp:// or amqps:// URL' })
  AMQP_URL: string = 'amqp://guest:guest@127.0.0.1:5672';

  /** RabbitMQ management API, used to verify the shard bindings at start. */
  @Env()
  @Matches(/^https?:\/\//, { message: 'must be an http:// or https:// URL' })
  RABBITMQ_MANAGEMENT_URL: string = 'http://guest:guest@127.0.0.1:15672';

  /** Number of per-person shard queues. Change only with the shard queues drained. */
  @Env()
  @IsInt()
  @Min(1)
  @Max(64)
  SHARD_COUNT: number = 16;

  @Env()
  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL: string = 'info';

  /** Test-only fault injection; leave unset in production. */
  @Env()
  @IsOptional()
  @IsString()
  VISAGE_FAILPOINT?: string;
}

export function vhostOf(amqpUrl: string): string {
  const path = new URL(amqpUrl).pathname.replace(/^\//, '');
  return path === '' ? '/' : decodeURIComponent(path);
}
