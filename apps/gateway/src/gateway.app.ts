/**
 * The gateway as an app, whatever carries its messages: the HTTP edge over a MessageClient. `main.ts` runs it on
 * RabbitMQ; the standalone process runs it on in-process queues.
 */
import { isIP } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { MessageClient } from '#messaging';
import { ApiKeys } from './auth/api-keys';
import { trustProxySetting } from './common/absolute-url';
import type { GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import type { Deployment } from './health/deployment';
import { opsReadiness, ReadinessProbe } from './health/readiness-probe';
import { RequestDeadlinesAdapter } from './request-body/request-deadlines.adapter';

export interface GatewayApp {
  app: NestExpressApplication;
  /** What the gateway's /ready on the ops port answers: every part of the stack, as this gateway reaches it. */
  readiness: () => Promise<Record<string, unknown>>;
}

/** Refuses to serve without keys anywhere but on loopback: a keyless service is open to whoever reaches it. */
export function checkedApiKeys(config: GatewayConfig, logger: LoggerService): ApiKeys {
  const keys = ApiKeys.parse(config.API_KEYS);
  if (!keys.configured) {
    if (!isLoopback(config.HOST)) {
      throw new Error(`Refusing to listen on ${config.HOST} without API_KEYS; set API_KEYS or HOST=127.0.0.1.`);
    }
    logger.warn(`No API_KEYS configured: serving without authentication on loopback (${config.HOST}) only`);
  }
  return keys;
}

export async function createGatewayApp(
  config: GatewayConfig,
  client: MessageClient,
  deployment: Deployment,
  logger: LoggerService,
): Promise<GatewayApp> {
  const keys = checkedApiKeys(config, logger);
  const adapter = new RequestDeadlinesAdapter({
    headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
  });
  // No body parser here: bodies are read after the guards (RequestBodyInterceptor), never before the key.
  const app = await NestFactory.create<NestExpressApplication>(
    GatewayModule.register(config, client, keys, deployment),
    adapter,
    { logger, bodyParser: false },
  );
  app.set('x-powered-by', false);
  app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  return { app, readiness: opsReadiness(app.get(ReadinessProbe)) };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}
