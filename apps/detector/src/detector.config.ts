import { availableParallelism } from 'node:os';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { BrokerConfig } from '#config';

export class DetectorConfig extends BrokerConfig {
  /** Worker threads, each with its own TensorFlow backend and models; default one per core. */
  @IsInt()
  @Min(1)
  @Max(64)
  DETECTOR_WORKERS: number = availableParallelism();

  /** `auto` picks native TensorFlow when it loads, else WASM (SIMD), else cpu. */
  @IsIn(['auto', 'wasm', 'cpu'])
  TF_BACKEND: 'auto' | 'wasm' | 'cpu' = 'auto';
}
