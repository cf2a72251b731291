/** The part of the HTTP response that guards, interceptors and controllers touch: headers only, no body. */
export interface HeaderSink {
  setHeader(name: string, value: string): void;
  readonly headersSent: boolean;
}
