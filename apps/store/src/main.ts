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
  applyTopologyPolicies,
  declareTopology,
  PassRpcErrorsThrough,
  Queues,
  shardQueueNames,
  verifyShardBindings,
} from '#messaging';
import { boundPort, gaugeFromState, nestLogLevels, startOpsServer } from '#observability';
import { openDatabase } from './database/data-source';
import { classifyDatabaseFault } from './database/database-fault.classifier';
import { appliedWriteRetentionHours, pruneAppliedWrites } from './idempotency/applied-writes';
import { StoreConfig } from './store.config';
import { recentlyServedShards } from './status/shard-ownership';
import { StoreModule } from './store.module';

async function bootstrap(): Promise<void> {
  const logger = new ConsoleLogger('store', { json: true });
  try {
    const config = loadConfig(StoreConfig);
    logger.setLogLevels(nestLogLevels(config.LOG_LEVEL));
    const dataSource = await openDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
    const transport = new AmqpTransport({
      url: config.AMQP_URL,
      name: 'visage-store',
      failpoint: config.VISAGE_FAILPOINT,
      classifyFault: classifyDatabaseFault,
      prepare: async (channel) => {
        const vhost = vhostOf(config.AMQP_URL);
        await declareTopology(channel, config.SHARD_COUNT);
        await verifyShardBindings(config.RABBITMQ_MANAGEMENT_URL, vhost, config.SHARD_COUNT);
        await applyTopologyPolicies(config.RABBITMQ_MANAGEMENT_URL, vhost, config.DETECTOR_QUEUE_MAX_LENGTH);
      },
      consumers: [
        { queue: Queues.store, prefetch: config.STORE_PREFETCH, onFault: 'retry' },
        ...shardQueueNames(config.SHARD_COUNT).map((queue) => ({ queue, prefetch: 1, onFault: 'retry' as const })),
        { queue: Queues.deadLetter, prefetch: 8, onFault: 'final' as const, answersDeadLetters: true },
      ],
    });
    const app = await NestFactory.createMicroservice(
      StoreModule.register(dataSource, transport, {
        training: { leaseMs: config.TRAINING_LEASE_MS, concurrency: config.TRAINING_CONCURRENCY },
        snapshotCacheBytes: config.SNAPSHOT_CACHE_MB * 2 ** 20,
        shardCount: config.SHARD_COUNT,
        detectedFaceQuota: config.DETECTED_FACE_QUOTA,
      }),
      {
        strategy: transport,
        logger,
      },
    );
    app.useGlobalFilters(new PassRpcErrorsThrough());
    app.enableShutdownHooks();
    const prune = setInterval(
      () =>
        void pruneAppliedWrites(dataSource, appliedWriteRetentionHours).catch((error: Error) =>
          logger.warn(`Pruning applied writes failed: ${error.message}`),
        ),
      3_600_000,
    );
    prune.unref();
    const shards = shardQueueNames(config.SHARD_COUNT);
    const recentlyServed = () => recentlyServedShards(transport, config.SHARD_COUNT);
    gaugeFromState(
      'visage_shard_active',
      'Shard queues this store process served in the last minute (1) or not (0)',
      ['shard'],
      () => {
        const served = new Set(recentlyServed());
        return shards.map((queue): [Record<string, string>, number] => [{ shard: queue }, served.has(queue) ? 1 : 0]);
      },
    );
    const ops = await startOpsServer(config.OPS_HOST, config.STORE_OPS_PORT, async () => {
      if (!transport.connected) throw new Error('not connected to the message broker');
      await dataSource.query('SELECT 1');
      return { database: 'up', shards: { total: shards.length, servedRecently: recentlyServed() } };
    });
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
