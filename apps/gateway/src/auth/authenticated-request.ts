import type { CallerRequest } from '../common/caller';
import type { ApiKey } from './api-keys';

export interface AuthenticatedRequest extends CallerRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The key the caller presented; absent when no keys are configured or on public routes. */
  apiKey?: ApiKey;
}
