import { isIP } from 'node:net';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  Validate,
  ValidateBy,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { BrokerConfig, Env, Secret } from '#config';
import { qualityLevels, type QualityForRecognition } from './detect/face-quality';

/** TRUST_PROXY: `true`, `false`, or peers as Express's `trust proxy` reads them (addresses, CIDR ranges, names). */
@ValidatorConstraint({ name: 'trustProxy' })
class TrustProxyValue implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (value === 'true' || value === 'false') return true;
    return typeof value === 'string' && value.split(',').every((peer) => isProxyPeer(peer.trim()));
  }

  defaultMessage(): string {
    return 'must be false, true or comma-separated addresses, CIDR ranges, loopback, linklocal or uniquelocal';
  }
}

function isProxyPeer(peer: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(peer)) return true;
  const [address = '', bits, ...rest] = peer.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

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
  @Env()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 8080;

  /** Interface to listen on. Without API_KEYS only a loopback address is allowed. */
  @Env()
  @IsString()
  HOST: string = '127.0.0.1';

  /**
   * Whether X-Forwarded-Proto and X-Forwarded-Host (used for absolute URLs such as operation-Location) are
   * believed: `false`, `true` (from every peer) or the peers to believe, as comma-separated addresses, CIDR
   * ranges or `loopback`, `linklocal`, `uniquelocal`.
   */
  @Env()
  @Validate(TrustProxyValue)
  TRUST_PROXY: string = 'false';

  /** Comma-separated `key` or `key:tenant` entries; a key without a tenant uses the tenant `default`. */
  @Env()
  @Secret()
  @IsOptional()
  @IsString()
  API_KEYS?: string;

  /** Sustained requests per second per API key (per tenant without keys); 0 turns rate limiting off. */
  @Env()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_SECOND: number = 100;

  /** Requests a key may send at once above the sustained rate: the size of its token bucket. */
  @Env()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_BURST: number = 500;

  /** Deadline for store requests, in milliseconds. */
  @Env()
  @IsInt()
  @Min(100)
  @Max(600_000)
  RPC_TIMEOUT_MS: number = 30_000;

  /** Deadline for face detection and extraction (queued behind other images), in milliseconds. */
  @Env()
  @IsInt()
  @Min(100)
  @Max(600_000)
  DETECT_TIMEOUT_MS: number = 120_000;

  /** Time a client has to send a request's headers; past it the connection is answered 408 and closed. */
  @Env()
  @IsInt()
  @Min(1000)
  @Max(600_000)
  @AtMostRequestTimeout()
  HEADERS_TIMEOUT_MS: number = 10_000;

  /** Time a client has to send a whole request, headers and body; past it 408 and the connection closes. */
  @Env()
  @IsInt()
  @Min(1000)
  @Max(600_000)
  REQUEST_TIMEOUT_MS: number = 60_000;

  /** Image requests (add face, detect) one key may have open at once; 0 turns the cap off. */
  @Env()
  @IsInt()
  @Min(0)
  @Max(100_000)
  IMAGE_REQUESTS_PER_KEY: number = 16;

  /** Extractions this gateway keeps at the detectors at once; the others wait their tenant's turn. */
  @Env()
  @IsInt()
  @Min(1)
  @Max(10_000)
  EXTRACTIONS_IN_FLIGHT: number = 8;

  /** Extractions one tenant may have waiting for a place at the detectors; 0 leaves the lines unbounded. */
  @Env()
  @IsInt()
  @Min(0)
  @Max(100_000)
  EXTRACTION_QUEUE_PER_TENANT: number = 64;

  /** Hosts or CIDR ranges that image URLs may point to even though they are private or loopback. */
  @Env()
  @IsOptional()
  @IsString()
  URL_FETCH_ALLOW?: string;

  @Env()
  @IsInt()
  @Min(100)
  @Max(120_000)
  URL_FETCH_TIMEOUT_MS: number = 10_000;

  /** Port of the ops server (/health, /ready with details, /metrics), apart from the public API; 0 picks one. */
  @Env()
  @IsInt()
  @Min(0)
  @Max(65535)
  GATEWAY_OPS_PORT: number = 8083;

  /** Interface of the ops server; 0.0.0.0 in containers so probes and Prometheus can reach it. */
  @Env()
  @IsString()
  OPS_HOST: string = '127.0.0.1';

  /**
   * Lowest qualityForRecognition that adding a face accepts in the envelope dialect; `low` accepts every face.
   * Low-quality enrolment faces raise the chance that a stranger matches the person (docs/models.md).
   */
  @Env()
  @IsIn(qualityLevels)
  ENROLMENT_MIN_QUALITY: QualityForRecognition = 'medium';

  /** The same for the Azure dialect, whose clients expect no such refusal: `low` (off) by default. */
  @Env()
  @IsIn(qualityLevels)
  AZURE_ENROLMENT_MIN_QUALITY: QualityForRecognition = 'low';
}
