/** Prometheus metrics of a Visage process, one registry per process, scraped at /metrics. */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'visage_' });

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const Metrics = {
  httpRequestDuration: new Histogram({
    name: 'visage_http_request_duration_seconds',
    help: 'HTTP requests answered by the gateway, by route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: latencyBuckets,
    registers: [metricsRegistry],
  }),
  messagesHandled: new Counter({
    name: 'visage_messages_handled_total',
    help: 'Broker messages handled, by queue, pattern and outcome (ok, error, fault, dead_letter, expired)',
    labelNames: ['queue', 'pattern', 'outcome'],
    registers: [metricsRegistry],
  }),
  messageDuration: new Histogram({
    name: 'visage_message_duration_seconds',
    help: 'Time from delivery to reply for broker messages, by queue and pattern',
    labelNames: ['queue', 'pattern'],
    buckets: latencyBuckets,
    registers: [metricsRegistry],
  }),
  extractionDuration: new Histogram({
    name: 'visage_extraction_duration_seconds',
    help: 'Detection and feature extraction per image, by models, backend and purpose',
    labelNames: ['detection_model', 'recognition_model', 'backend', 'purpose'],
    buckets: latencyBuckets,
    registers: [metricsRegistry],
  }),
  facesAdded: new Counter({
    name: 'visage_faces_added_total',
    help: 'Persisted faces added (first applications only, not replays of the same request)',
    registers: [metricsRegistry],
  }),
  trainingDuration: new Histogram({
    name: 'visage_training_duration_seconds',
    help: 'Duration of group trainings, by outcome',
    labelNames: ['outcome'],
    buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 900, 1800],
    registers: [metricsRegistry],
  }),
  snapshotCacheBytes: new Gauge({
    name: 'visage_snapshot_cache_bytes',
    help: 'Bytes of trained snapshots this store process holds in memory for identify',
    registers: [metricsRegistry],
  }),
  snapshotCacheSnapshots: new Gauge({
    name: 'visage_snapshot_cache_snapshots',
    help: 'Trained snapshots (one per group) this store process holds in memory',
    registers: [metricsRegistry],
  }),
  snapshotCacheEvictions: new Counter({
    name: 'visage_snapshot_cache_evictions_total',
    help: 'Snapshots dropped from memory, by reason (size, deleted, replaced, stale)',
    labelNames: ['reason'],
    registers: [metricsRegistry],
  }),
  periodicJobRuns: new Counter({
    name: 'visage_periodic_job_runs_total',
    help: 'Rounds of the periodic jobs (applied-write pruning, faceId purge, training sweep, lease renewal, stale snapshot sweep), by job and outcome (ok, failed)',
    labelNames: ['job', 'outcome'],
    registers: [metricsRegistry],
  }),
};

/** A gauge computed when scraped, for state another component owns (shard ownership, say). */
export function gaugeFromState(
  name: string,
  help: string,
  labelNames: string[],
  read: () => [Record<string, string>, number][],
) {
  return new Gauge({
    name,
    help,
    labelNames,
    registers: [metricsRegistry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.set(labels, value);
    },
  });
}
