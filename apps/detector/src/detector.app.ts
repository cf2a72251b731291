/**
 * The detector as an app, whatever carries its messages: the worker pool, the queue it consumes and the Nest app
 * over it. `main.ts` runs it on RabbitMQ; the standalone process runs it on in-process queues.
 */
import type { INestMicroservice, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PassRpcErrorsThrough, Queues, type ConsumerOptions, type ConsumerTransport } from '#messaging';
import type { DetectorConfig } from './detector.config';
import { DetectorModule } from './detector.module';
import { ExtractionPool } from './extraction/extraction-pool';

export async function startExtractionPool(config: DetectorConfig, logger: LoggerService): Promise<ExtractionPool> {
  const pool = await ExtractionPool.start({
    workers: config.DETECTOR_WORKERS,
    backend: config.TF_BACKEND,
    decodeMemoryBudgetBytes: config.DETECTOR_DECODE_MEMORY_MB * 2 ** 20,
  });
  const status = pool.status();
  logger.log(`Models loaded on backend '${status.backend}' in ${status.workers} workers: ${status.models.join(', ')}`);
  if (status.backend === 'cpu') logger.warn('Running on the plain cpu backend: expect seconds per image');
  return pool;
}

export function detectorConsumers(config: DetectorConfig): ConsumerOptions {
  return {
    name: 'visage-detector',
    // A little more than the workers, so the next image is already here when a worker frees up.
    consumers: [{ queue: Queues.detector, prefetch: config.DETECTOR_WORKERS * 2, onFault: 'final', dropExpired: true }],
  };
}

export interface DetectorApp {
  app: INestMicroservice;
  /** What the detector's /ready answers: the backend, the workers and the queue it consumes. */
  readiness: () => Promise<Record<string, unknown>>;
}

export async function createDetectorApp(
  pool: ExtractionPool,
  transport: ConsumerTransport,
  logger: LoggerService,
): Promise<DetectorApp> {
  const app = await NestFactory.createMicroservice(DetectorModule.register(pool), { strategy: transport, logger });
  app.useGlobalFilters(new PassRpcErrorsThrough());
  return {
    app,
    readiness: async () => {
      if (!transport.connected) throw new Error('not connected to the message broker');
      return { ...pool.status(), queues: transport.queueActivity() };
    },
  };
}
