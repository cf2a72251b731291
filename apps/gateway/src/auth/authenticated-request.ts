import type { CallerRequest } from '../common/caller';
import type { ApiKey } from './api-keys';

export interface AuthenticatedRequest extends CallerRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The key the caller presented; absent when no keys are configured or on public routes. */
  apiKey?: ApiKey;
}

/**
 * What per-caller limits count by: the API key, or the tenant when no keys are configured; undefined on public
 * routes, which have no caller and are never limited.
 */
export function limitKeyOf(request: AuthenticatedRequest): string | undefined {
  if (request.caller === undefined) return undefined;
  return request.apiKey?.id ?? `tenant:${request.caller.tenantId}`;
}
