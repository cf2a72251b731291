import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { BrokerConfig, Env } from '#config';

export class StoreConfig extends BrokerConfig {
  /** Postgres connection URL; the database is created at start if the server lets us. */
  @Env()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/visage';

  /** Messages of each store work queue (the reads; group, list and person writes) handled at once. */
  @Env()
  @IsInt()
  @Min(1)
  @Max(256)
  STORE_PREFETCH: number = 16;

  @Env()
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE: number = 20;

  /** A running training renews a lease this long; when it lapses (its store died) another store resumes it. */
  @Env()
  @IsInt()
  @Min(1000)
  @Max(600_000)
  TRAINING_LEASE_MS: number = 30_000;

  /**
   * Images that may wait in the detector queue (beyond those the detectors already hold); past it callers get
   * 503 DETECTOR_BUSY at once. The store sets it as a broker policy, since it already manages the topology.
   */
  @Env()
  @IsInt()
  @Min(1)
  @Max(100_000)
  DETECTOR_QUEUE_MAX_LENGTH: number = 64;

  /** Live (unexpired) faceIds one tenant may hold; a Detect that would pass it is refused. */
  @Env()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  DETECTED_FACE_QUOTA: number = 1_000_000;

  /** Trainings one store process builds at once; more wait their turn (still `running` to callers). */
  @Env()
  @IsInt()
  @Min(1)
  @Max(64)
  TRAINING_CONCURRENCY: number = 1;

  /** Memory for trained snapshots identify searches, per store process; least recently used go first. */
  @Env()
  @IsInt()
  @Min(16)
  @Max(1_048_576)
  SNAPSHOT_CACHE_MB: number = 1024;

  /** Port of /health, /ready and /metrics; 0 picks a free one (logged). */
  @Env()
  @IsInt()
  @Min(0)
  @Max(65535)
  STORE_OPS_PORT: number = 8082;

  /** Interface of the /health, /ready and /metrics server; 0.0.0.0 in containers so probes can reach it. */
  @Env()
  @IsString()
  OPS_HOST: string = '127.0.0.1';
}
