/**
 * The gateway: the only HTTP edge. Authenticates, validates, and runs use cases that talk to the detector and
 * the store over RabbitMQ. Stateless; run as many replicas as traffic needs.
 */
import 'reflect-metadata';
import { isIP } from 'node:net';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '#config';
import { RpcClient } from '#messaging';
import { boundPort, nestLogLevels, startOpsServer } from '#observability';
import { ApiKeys } from './auth/api-keys';
import { trustProxySetting } from './common/absolute-url';
import { GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { opsReadiness, ReadinessProbe } from './health/readiness-probe';
import { RequestDeadlinesAdapter } from './request-body/request-deadlines.adapter';

async function bootstrap(): Promise<void> {
  const logger = new ConsoleLogger('gateway', { json: true });
  try {
    const config = loadConfig(GatewayConfig);
    logger.setLogLevels(nestLogLevels(config.LOG_LEVEL));
    const keys = ApiKeys.parse(config.API_KEYS);
    if (!keys.configured) {
      if (!isLoopback(config.HOST)) {
        throw new Error(`Refusing to listen on ${config.HOST} without API_KEYS; set API_KEYS or HOST=127.0.0.1.`);
      }
      logger.warn(`No API_KEYS configured: serving without authentication on loopback (${config.HOST}) only`);
    }
    const rpc = await RpcClient.connect(config.AMQP_URL, {
      name: 'visage-gateway',
      defaultTimeoutMs: config.RPC_TIMEOUT_MS,
    });
    const adapter = new RequestDeadlinesAdapter({
      headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
      requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    });
    // No body parser here: bodies are read after the guards (RequestBodyInterceptor), never before the key.
    const app = await NestFactory.create<NestExpressApplication>(GatewayModule.register(config, rpc, keys), adapter, {
      logger,
      bodyParser: false,
    });
    app.set('x-powered-by', false);
    app.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
    app.enableShutdownHooks();
    await app.listen(config.PORT, config.HOST);
    logger.log(`Gateway listening on http://${config.HOST}:${config.PORT}`);
    const ops = await startOpsServer(config.OPS_HOST, config.GATEWAY_OPS_PORT, opsReadiness(app.get(ReadinessProbe)));
    logger.log(`/health, /ready and /metrics on ${config.OPS_HOST}:${boundPort(ops)}`);
  } catch (error) {
    logger.error((error as Error).message);
    process.exit(1);
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

void bootstrap();
