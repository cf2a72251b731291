import { IsInt, IsOptional, IsString, Max, Min, ValidateBy } from 'class-validator';
import { BrokerConfig } from '#config';

/** The header deadline runs inside the whole request's, so a longer one could never apply (Node refuses it). */
function AtMostRequestTimeout(): PropertyDecorator {
  return ValidateBy({
    name: 'atMostRequestTimeout',
    validator: {
      validate: (value, args) =>
        typeof value === 'number' && value <= (args?.object as GatewayConfig).REQUEST_TIMEOUT_MS,
      defaultMessage: () => 'must not exceed REQUEST_TIMEOUT_MS',
    },
  });
}

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

  /** Time a client has to send a request's headers; past it the connection is answered 408 and closed. */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  @AtMostRequestTimeout()
  HEADERS_TIMEOUT_MS: number = 10_000;

  /** Time a client has to send a whole request, headers and body; past it 408 and the connection closes. */
  @IsInt()
  @Min(1000)
  @Max(600_000)
  REQUEST_TIMEOUT_MS: number = 60_000;

  /** Image requests (add face, detect) one key may have open at once; 0 turns the cap off. */
  @IsInt()
  @Min(0)
  @Max(100_000)
  IMAGE_REQUESTS_PER_KEY: number = 16;

  /** Extractions this gateway keeps at the detectors at once; the others wait their tenant's turn. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  EXTRACTIONS_IN_FLIGHT: number = 8;

  /** Extractions one tenant may have waiting for a place at the detectors; 0 leaves the lines unbounded. */
  @IsInt()
  @Min(0)
  @Max(100_000)
  EXTRACTION_QUEUE_PER_TENANT: number = 64;

  /** Hosts or CIDR ranges that image URLs may point to even though they are private or loopback. */
  @IsOptional()
  @IsString()
  URL_FETCH_ALLOW?: string;

  @IsInt()
  @Min(100)
  @Max(120_000)
  URL_FETCH_TIMEOUT_MS: number = 10_000;
}
