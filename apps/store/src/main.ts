/**
 * The store service: owns Postgres. Serves reads from the reads queue, group and list writes from the store
 * work queue, and person-level writes from the shard queues (one active consumer per shard across all replicas).
 */
import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { loadConfig, vhostOf } from '#config';
import { AmqpTransport, applyTopologyPolicies, declareTopology, verifyShardBindings } from '#messaging';
import { boundPort, nestLogLevels, startOpsServer } from '#observability';
import { openDatabase } from './database/data-source';
import { createStoreApp, storeConsumers } from './store.app';
import { StoreConfig } from './store.config';

async function bootstrap(): Promise<void> {
  const logger = new ConsoleLogger('store', { json: true });
  try {
    const config = loadConfig(StoreConfig);
    logger.setLogLevels(nestLogLevels(config.LOG_LEVEL));
    const dataSource = await openDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
    const transport = new AmqpTransport({
      ...storeConsumers(config),
      url: config.AMQP_URL,
      prepare: async (channel) => {
        const vhost = vhostOf(config.AMQP_URL);
        await declareTopology(channel, config.SHARD_COUNT);
        await verifyShardBindings(config.RABBITMQ_MANAGEMENT_URL, vhost, config.SHARD_COUNT);
        await applyTopologyPolicies(config.RABBITMQ_MANAGEMENT_URL, vhost, config.DETECTOR_QUEUE_MAX_LENGTH);
      },
    });
    const { app, readiness } = await createStoreApp(config, dataSource, transport, logger);
    app.enableShutdownHooks();
    const ops = await startOpsServer(config.OPS_HOST, config.STORE_OPS_PORT, readiness);
    // The ops server answers from the start (liveness; readiness stays 503 until the broker is connected).
    await app.listen();
    logger.log(
      `Store ready: ${config.SHARD_COUNT} shard queues, database migrated; ` +
        `/health, /ready and /metrics on ${config.OPS_HOST}:${boundPort(ops)}`,
    );
  } catch (error) {
    logger.error((error as Error).message);
    process.exit(1);
  }
}

void bootstrap();
