/**
 * The detector service: stateless competing consumers of the detector queue. Each process runs a pool of
 * worker threads (TensorFlow.js WASM is single-threaded per thread in Node), one image per worker at a time.
 */
import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { loadConfig } from '#config';
import { AmqpTransport, declareTopology } from '#messaging';
import { boundPort, nestLogLevels, startOpsServer } from '#observability';
import { createDetectorApp, detectorConsumers, startExtractionPool } from './detector.app';
import { DetectorConfig } from './detector.config';

async function bootstrap(): Promise<void> {
  const logger = new ConsoleLogger('detector', { json: true });
  try {
    const config = loadConfig(DetectorConfig);
    logger.setLogLevels(nestLogLevels(config.LOG_LEVEL));
    const pool = await startExtractionPool(config, logger);
    const transport = new AmqpTransport({
      ...detectorConsumers(config),
      url: config.AMQP_URL,
      prepare: (channel) => declareTopology(channel, config.SHARD_COUNT),
    });
    const { app, readiness } = await createDetectorApp(pool, transport, logger);
    app.enableShutdownHooks();
    const ops = await startOpsServer(config.OPS_HOST, config.DETECTOR_OPS_PORT, readiness);
    // The ops server answers from the start (liveness; readiness stays 503 until the broker is connected).
    await app.listen();
    logger.log(`Detector ready; /health, /ready and /metrics on ${config.OPS_HOST}:${boundPort(ops)}`);
  } catch (error) {
    logger.error((error as Error).message);
    process.exit(1);
  }
}

void bootstrap();
