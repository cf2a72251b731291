import { availableParallelism } from 'node:os';
import { IsIn, IsInt, IsString, Max, Min } from 'class-validator';
import { BrokerConfig, Env } from '#config';

export class DetectorConfig extends BrokerConfig {
  /** Worker threads, each with its own TensorFlow backend and models; default one per core. */
  @Env()
  @IsInt()
  @Min(1)
  @Max(64)
  DETECTOR_WORKERS: number = availableParallelism();

  /**
   * Memory (MiB) one worker may spend decoding one image, judged from the image header before decoding: it
   * bounds what small files that declare huge pictures (1-bit BMP, one-colour GIF) expand to.
   */
  @Env()
  @IsInt()
  @Min(16)
  @Max(4096)
  DETECTOR_DECODE_MEMORY_MB: number = 128;

  /** `auto` picks native TensorFlow when it loads, else WASM (SIMD), else cpu. */
  @Env()
  @IsIn(['auto', 'wasm', 'cpu'])
  TF_BACKEND: 'auto' | 'wasm' | 'cpu' = 'auto';

  /** Port of /health, /ready and /metrics; 0 picks a free one (logged). */
  @Env()
  @IsInt()
  @Min(0)
  @Max(65535)
  DETECTOR_OPS_PORT: number = 8081;

  /** Interface of the /health, /ready and /metrics server; 0.0.0.0 in containers so probes can reach it. */
  @Env()
  @IsString()
  OPS_HOST: string = '127.0.0.1';
}
