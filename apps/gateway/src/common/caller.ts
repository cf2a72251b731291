import type { RequestTimings, SendOptions } from '#messaging';

/** Who is calling and which request this is; set by the auth guard, read by every use case. */
export interface Caller {
  tenantId: string;
  requestId: string;
  timings?: RequestTimings;
}

export interface CallerRequest {
  caller?: Caller;
  requestId?: string;
}

/** Options for every message a use case sends on behalf of a caller. */
export function sendOptions(caller: Caller, extra: Pick<SendOptions, 'timeoutMs'> = {}): SendOptions {
  return { requestId: caller.requestId, timings: caller.timings, ...extra };
}
