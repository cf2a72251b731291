/**
 * The detector service: stateless competing consumers of the detector queue. Each process runs a pool of
 * worker threads (TensorFlow.js WASM is single-threaded per thread in Node), one image per worker at a time.
 */
import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '#config';
import { AmqpTransport, declareTopology, PassRpcErrorsThrough, Queues } from '#messaging';
import { boundPort, nestLogLevels, startOpsServer } from '#observability';
import { DetectorConfig } from './detector.config';
import { DetectorModule } from './detector.module';
import { ExtractionPool } from './extraction/extraction-pool';

async function bootstrap(): Promise<void> {
  const logger = new ConsoleLogger('detector', { json: true });
  try {
    const config = loadConfig(DetectorConfig);
    logger.setLogLevels(nestLogLevels(config.LOG_LEVEL));
    const pool = await ExtractionPool.start({
      workers: config.DETECTOR_WORKERS,
      backend: config.TF_BACKEND,
      decodeMemoryBudgetBytes: config.DETECTOR_DECODE_MEMORY_MB * 2 ** 20,
    });
    const status = pool.status();
    logger.log(
      `Models loaded on backend '${status.backend}' in ${status.workers} workers: ${status.models.join(', ')}`,
    );
    if (status.backend === 'cpu') logger.warn('Running on the plain cpu backend: expect seconds per image');
    const transport = new AmqpTransport({
      url: config.AMQP_URL,
      name: 'visage-detector',
      prepare: (channel) => declareTopology(channel, config.SHARD_COUNT),
      consumers: [
        // A little more than the workers, so the next image is already here when a worker frees up.
        { queue: Queues.detector, prefetch: config.DETECTOR_WORKERS * 2, onFault: 'final', dropExpired: true },
      ],
    });
    const app = await NestFactory.createMicroservice(DetectorModule.register(pool), { strategy: transport, logger });
    app.useGlobalFilters(new PassRpcErrorsThrough());
    app.enableShutdownHooks();
    const ops = await startOpsServer(config.OPS_HOST, config.DETECTOR_OPS_PORT, async () => {
      if (!transport.connected) throw new Error('not connected to the message broker');
      return { ...pool.status(), queues: transport.queueActivity() };
    });
    // The ops server answers from the start (liveness; readiness stays 503 until the broker is connected).
    await app.listen();
    logger.log(`Detector ready; /health, /ready and /metrics on ${config.OPS_HOST}:${boundPort(ops)}`);
  } catch (error) {
    logger.error((error as Error).message);
    process.exit(1);
  }
}

void bootstrap();
