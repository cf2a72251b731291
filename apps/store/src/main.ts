/**
 * The store service: owns Postgres. Serves reads and group operations from the store work queue and
 * person-level writes from the shard queues (one active consumer per shard across all replicas).
 */
import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, vhostOf } from '#config';
import {
  AmqpTransport,
  declareTopology,
  PassRpcErrorsThrough,
  Queues,
  shardQueueNames,
  verifyShardBindings,
} from '#messaging';
import { openDatabase } from './database/data-source';
import { pruneAppliedWrites } from './idempotency/applied-writes';
import { StoreConfig } from './store.config';
import { StoreModule } from './store.module';

async function bootstrap(): Promise<void> {
  const logger = new ConsoleLogger('store', { json: true });
  try {
    const config = loadConfig(StoreConfig);
    const dataSource = await openDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
    const transport = new AmqpTransport({
      url: config.AMQP_URL,
      name: 'visage-store',
      failpoint: config.VISAGE_FAILPOINT,
      prepare: async (channel) => {
        await declareTopology(channel, config.SHARD_COUNT);
        await verifyShardBindings(config.RABBITMQ_MANAGEMENT_URL, vhostOf(config.AMQP_URL), config.SHARD_COUNT);
      },
      consumers: [
        { queue: Queues.store, prefetch: config.STORE_PREFETCH, onFault: 'retry' },
        ...shardQueueNames(config.SHARD_COUNT).map((queue) => ({ queue, prefetch: 1, onFault: 'retry' as const })),
        { queue: Queues.deadLetter, prefetch: 8, onFault: 'final' as const, answersDeadLetters: true },
      ],
    });
    const app = await NestFactory.createMicroservice(
      StoreModule.register(dataSource, transport, config.TRAINING_LEASE_MS),
      {
        strategy: transport,
        logger,
      },
    );
    app.useGlobalFilters(new PassRpcErrorsThrough());
    app.enableShutdownHooks();
    await app.listen();
    const prune = setInterval(() => void pruneAppliedWrites(dataSource, 48).catch(() => undefined), 3_600_000);
    prune.unref();
    logger.log(`Store ready: ${config.SHARD_COUNT} shard queues, database migrated`);
  } catch (error) {
    logger.error((error as Error).message);
    process.exit(1);
  }
}

void bootstrap();
