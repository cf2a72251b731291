/** Who is calling and which request this is; set by the auth guard, read by every use case. */
export interface Caller {
  tenantId: string;
  requestId: string;
}

export interface CallerRequest {
  caller?: Caller;
  requestId?: string;
}
