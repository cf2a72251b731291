/**
 * Where one request's time went, as the standard Server-Timing header reports it: for each message it sent,
 * the time the remote handler took and the whole round trip. Callers can see how much was detection and how
 * much was everything else.
 */
export class RequestTimings {
  private readonly entries: { name: string; ms: number }[] = [];

  record(name: string, ms: number): void {
    this.entries.push({ name, ms });
  }

  /** `detector.extract;dur=512.3, rpc.detector.extract;dur=514.9, ...` */
  header(): string {
    return this.entries.map((e) => `${e.name};dur=${Math.round(e.ms * 10) / 10}`).join(', ');
  }
}
