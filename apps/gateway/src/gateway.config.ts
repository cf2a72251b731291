import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { BrokerConfig } from '#config';
import { qualityLevels, type QualityForRecognition } from './detect/face-quality';

export class GatewayConfig extends BrokerConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 8080;

  /** Interface to listen on. Without API_KEYS only a loopback address is allowed. */
  @IsString()
  HOST: string = '127.0.0.1';

  /** Comma-separated `key` or `key:tenant` entries; a key without a tenant uses the tenant `default`. */
  @IsOptional()
  @IsString()
  API_KEYS?: string;

  /** Sustained requests per second per API key (per tenant without keys); 0 turns rate limiting off. */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_SECOND: number = 100;

  /** Requests a key may send at once above the sustained rate: the size of its token bucket. */
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_BURST: number = 500;

  /** Deadline for store requests, in milliseconds. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  RPC_TIMEOUT_MS: number = 30_000;

  /** Deadline for face detection and extraction (queued behind other images), in milliseconds. */
  @IsInt()
  @Min(100)
  @Max(600_000)
  DETECT_TIMEOUT_MS: number = 120_000;

  /** Hosts or CIDR ranges that image URLs may point to even though they are private or loopback. */
  @IsOptional()
  @IsString()
  URL_FETCH_ALLOW?: string;

  @IsInt()
  @Min(100)
  @Max(120_000)
  URL_FETCH_TIMEOUT_MS: number = 10_000;

  /**
   * Lowest qualityForRecognition that adding a face accepts in the envelope dialect; `low` accepts every face.
   * Low-quality enrolment faces raise the chance that a stranger matches the person (docs/models.md).
   */
  @IsIn(qualityLevels)
  ENROLMENT_MIN_QUALITY: QualityForRecognition = 'medium';

  /** The same for the Azure dialect, whose clients expect no such refusal: `low` (off) by default. */
  @IsIn(qualityLevels)
  AZURE_ENROLMENT_MIN_QUALITY: QualityForRecognition = 'low';
}
