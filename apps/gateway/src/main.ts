/**
 * The gateway: the only HTTP edge. Authenticates, validates, and runs use cases that talk to the detector and
 * the store over RabbitMQ. Stateless; run as many replicas as traffic needs.
 */
import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { loadConfig } from '#config';
import { RpcClient } from '#messaging';
import { boundPort, nestLogLevels, startOpsServer } from '#observability';
import { createGatewayApp } from './gateway.app';
import { GatewayConfig } from './gateway.config';
import { distributedDeployment } from './health/deployment';

async function bootstrap(): Promise<void> {
  const logger = new ConsoleLogger('gateway', { json: true });
  try {
    const config = loadConfig(GatewayConfig);
    logger.setLogLevels(nestLogLevels(config.LOG_LEVEL));
    const client = await RpcClient.connect(config.AMQP_URL, {
      name: 'visage-gateway',
      defaultTimeoutMs: config.RPC_TIMEOUT_MS,
      managementUrl: config.RABBITMQ_MANAGEMENT_URL,
    });
    const { app, readiness } = await createGatewayApp(config, client, distributedDeployment, logger);
    app.enableShutdownHooks();
    await app.listen(config.PORT, config.HOST);
    logger.log(`Gateway listening on http://${config.HOST}:${config.PORT}`);
    const ops = await startOpsServer(config.OPS_HOST, config.GATEWAY_OPS_PORT, readiness);
    logger.log(`/health, /ready and /metrics on ${config.OPS_HOST}:${boundPort(ops)}`);
  } catch (error) {
    logger.error((error as Error).message);
    process.exit(1);
  }
}

void bootstrap();
