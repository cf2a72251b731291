/**
 * The store as an app, whatever carries its messages: which queues it consumes and how, and the Nest app over
 * them. `main.ts` runs it on RabbitMQ; the standalone process runs it on in-process queues.
 */
import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  PassRpcErrorsThrough,
  Queues,
  shardQueueNames,
  type ConsumerOptions,
  type ConsumerTransport,
} from '#messaging';
import { gaugeFromState } from '#observability';
import type { DataSource } from 'typeorm';
import { classifyDatabaseFault } from './database/database-fault.classifier';
import type { StoreConfig } from './store.config';
import { recentlyServedShards } from './status/shard-ownership';
import { StoreModule } from './store.module';

export function storeConsumers(config: StoreConfig): ConsumerOptions {
  return {
    name: 'visage-store',
    failpoint: config.VISAGE_FAILPOINT,
    classifyFault: classifyDatabaseFault,
    consumers: [
      { queue: Queues.storeReads, prefetch: config.STORE_PREFETCH, onFault: 'retry', dropExpired: true },
      { queue: Queues.store, prefetch: config.STORE_PREFETCH, onFault: 'retry' },
      ...shardQueueNames(config.SHARD_COUNT).map((queue) => ({ queue, prefetch: 1, onFault: 'retry' as const })),
      { queue: Queues.deadLetter, prefetch: 8, onFault: 'final' as const, answersDeadLetters: true },
    ],
  };
}

export interface StoreApp {
  app: INestMicroservice;
  /** What the store's /ready answers: the database and the shards it served lately. */
  readiness: () => Promise<Record<string, unknown>>;
}

export async function createStoreApp(
  config: StoreConfig,
  dataSource: DataSource,
  transport: ConsumerTransport,
  logger: LoggerService,
): Promise<StoreApp> {
  const app = await NestFactory.createMicroservice(
    StoreModule.register(dataSource, transport, {
      training: { leaseMs: config.TRAINING_LEASE_MS, concurrency: config.TRAINING_CONCURRENCY },
      snapshotCacheBytes: config.SNAPSHOT_CACHE_MB * 2 ** 20,
      shardCount: config.SHARD_COUNT,
      detectedFaceQuota: config.DETECTED_FACE_QUOTA,
    }),
    { strategy: transport, logger },
  );
  app.useGlobalFilters(new PassRpcErrorsThrough());
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
  return {
    app,
    readiness: async () => {
      if (!transport.connected) throw new Error('not connected to the message broker');
      await dataSource.query('SELECT 1');
      return { database: 'up', shards: { total: shards.length, servedRecently: recentlyServed() } };
    },
  };
}
