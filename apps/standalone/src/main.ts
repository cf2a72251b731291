/**
 * Visage as one process: the gateway, detector and store apps together on in-process queues, with the embedded
 * PostgreSQL in the data folder unless DATABASE_URL names a server. The same modules, handlers and contracts run
 * as in the distributed services; only the transport and the composition differ.
 */
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ConsoleLogger } from '@nestjs/common';
import { loadConfig } from '#config';
import { InProcessBroker, InProcessClient, InProcessTransport } from '#messaging';
import { boundPort, nestLogLevels, startOpsServer } from '#observability';
import { createDetectorApp, detectorConsumers, startExtractionPool } from '../../detector/src/detector.app';
import { DetectorConfig } from '../../detector/src/detector.config';
import { createGatewayApp, isLoopback } from '../../gateway/src/gateway.app';
import { GatewayConfig } from '../../gateway/src/gateway.config';
import type { Deployment } from '../../gateway/src/health/deployment';
import { openDatabase } from '../../store/src/database/data-source';
import { createStoreApp, storeConsumers } from '../../store/src/store.app';
import { StoreConfig } from '../../store/src/store.config';
import { DataDirLock } from './data-dir-lock';
import { EmbeddedPostgres } from './embedded-postgres';
import { generatedApiKey } from './generated-api-key';
import { StandaloneConfig } from './standalone.config';

async function bootstrap(): Promise<void> {
  const logger = new ConsoleLogger('visage', { json: true });
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) {
      await Promise.resolve()
        .then(step)
        .catch((error: Error) => logger.warn(`While stopping: ${error.message}`));
    }
  };
  try {
    const standalone = loadConfig(StandaloneConfig);
    const dataDir = path.resolve(standalone.VISAGE_DATA_DIR);
    mkdirSync(dataDir, { recursive: true });
    const external = Boolean(process.env.DATABASE_URL);
    const deployment: Deployment = {
      mode: 'standalone',
      messaging: 'in-process',
      database: external ? 'external' : 'embedded',
    };
    logger.log(
      'Standalone mode: gateway, detector and store in one process on in-process queues ' +
        `(${process.env.AMQP_URL ? 'AMQP_URL is ignored here' : 'AMQP_URL is not set'}); ` +
        (external
          ? 'database: DATABASE_URL.'
          : `database: embedded PostgreSQL in ${dataDir} (DATABASE_URL is not set).`),
    );
    const gatewayConfig = withApiKey(loadConfig(GatewayConfig), dataDir, logger);
    const detectorConfig = loadConfig(DetectorConfig);
    logger.setLogLevels(nestLogLevels(gatewayConfig.LOG_LEVEL));

    let databaseUrl = process.env.DATABASE_URL;
    if (!external) {
      const lock = DataDirLock.take(dataDir);
      stops.push(() => lock.release());
      const postgres = await EmbeddedPostgres.start({
        dataDir,
        port: standalone.EMBEDDED_POSTGRES_PORT,
        logger,
      });
      stops.push(() => postgres.stop());
      logger.log(`Embedded PostgreSQL listening on 127.0.0.1:${postgres.port}`);
      databaseUrl = postgres.url('visage');
    }
    const storeConfig = loadConfig(StoreConfig, { ...process.env, DATABASE_URL: databaseUrl });
    const dataSource = await openDatabase(storeConfig.DATABASE_URL, storeConfig.DATABASE_POOL_SIZE);
    stops.push(() => dataSource.destroy());

    const broker = new InProcessBroker({
      shardCount: storeConfig.SHARD_COUNT,
      detectorQueueMaxLength: storeConfig.DETECTOR_QUEUE_MAX_LENGTH,
    });
    const pool = await startExtractionPool(detectorConfig, new ConsoleLogger('detector', { json: true }));
    // The detector app closes the pool when it shuts down; this covers a start that fails before that app exists
    // (a second close finds nothing left to close).
    stops.push(() => pool.close());
    const store = await createStoreApp(
      storeConfig,
      dataSource,
      new InProcessTransport(broker, storeConsumers(storeConfig)),
      appLogger('store', storeConfig.LOG_LEVEL),
    );
    // Closing an app runs its shutdown hooks: its transport stops consuming and finishes what it holds.
    stops.push(() => store.app.close());
    const detector = await createDetectorApp(
      pool,
      new InProcessTransport(broker, detectorConsumers(detectorConfig)),
      appLogger('detector', detectorConfig.LOG_LEVEL),
    );
    stops.push(() => detector.app.close());
    const client = new InProcessClient(broker, gatewayConfig.RPC_TIMEOUT_MS);
    stops.push(() => client.close());
    const gateway = await createGatewayApp(
      gatewayConfig,
      client,
      deployment,
      appLogger('gateway', gatewayConfig.LOG_LEVEL),
    );
    stops.push(() => gateway.app.close());

    await store.app.listen();
    await detector.app.listen();
    await gateway.app.listen(gatewayConfig.PORT, gatewayConfig.HOST);
    const ops = await startOpsServer(gatewayConfig.OPS_HOST, gatewayConfig.GATEWAY_OPS_PORT, gateway.readiness);
    stops.push(() => new Promise<void>((resolve) => ops.close(() => resolve())));
    logger.log(
      `Visage listening on http://${gatewayConfig.HOST}:${gatewayConfig.PORT}; /health, /ready and /metrics on ` +
        `${gatewayConfig.OPS_HOST}:${boundPort(ops)}`,
    );
  } catch (error) {
    logger.error((error as Error).message);
    await stop();
    process.exit(1);
  }
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    logger.log('Stopping: the HTTP edge first, then the apps finish their messages, then the database');
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

function withApiKey(config: GatewayConfig, dataDir: string, logger: ConsoleLogger): GatewayConfig {
  if (config.API_KEYS || isLoopback(config.HOST)) return config;
  return loadConfig(GatewayConfig, { ...process.env, API_KEYS: generatedApiKey(dataDir, config.HOST, logger) });
}

function appLogger(context: string, level: string): ConsoleLogger {
  const logger = new ConsoleLogger(context, { json: true });
  logger.setLogLevels(nestLogLevels(level));
  return logger;
}

void bootstrap();
