/**
 * What callers of the other services hold: request/reply by contract pattern, whatever carries the messages
 * (RabbitMQ between processes, or in-process lanes when Visage runs as one process). Every request has a
 * deadline; the caller gets a catalogue error (TIMEOUT, SERVICE_UNAVAILABLE, DETECTOR_BUSY) instead of a hang.
 */
import type { Destination, Pattern, ReplyOf, RequestOf, WireError } from '#contracts';
import { VisageError } from '#contracts';
import { decodeFrame } from './frame-codec';
import type { RequestTimings } from './request-timings';
import type { HandledBy, ReplyFrame } from './wire';

export interface Replied<T> {
  data: T;
  handled?: HandledBy;
}

export interface SendOptions {
  timeoutMs?: number;
  /** Carried to the consumer for logs and, on writes, for idempotency. */
  requestId?: string;
  /** 0-2 on queues that support it (the detector's): probes overtake queued work. */
  priority?: number;
  /** Receives the handler time and round trip of this request, for Server-Timing. */
  timings?: RequestTimings;
}

export type MessageTransportKind = 'rabbitmq' | 'in-process';

export abstract class MessageClient {
  abstract readonly transport: MessageTransportKind;
  abstract readonly connected: boolean;

  /** Like `send`, and also says which queue served the request and when. */
  abstract sendTraced<P extends Pattern>(
    pattern: P,
    request: RequestOf<P>,
    options?: SendOptions,
  ): Promise<Replied<ReplyOf<P>>>;

  abstract close(): Promise<void>;

  /** Messages waiting in each of the topology's queues (not those being handled), or undefined when unknown. */
  abstract queueDepths(): Promise<Record<string, number> | undefined>;

  async send<P extends Pattern>(pattern: P, request: RequestOf<P>, options: SendOptions = {}): Promise<ReplyOf<P>> {
    const started = performance.now();
    const replied = await this.sendTraced(pattern, request, options);
    if (options.timings) {
      if (replied.handled) options.timings.record(pattern, replied.handled.finishedAt - replied.handled.startedAt);
      options.timings.record(`rpc.${pattern}`, performance.now() - started);
    }
    return replied.data;
  }
}

interface Pending {
  resolve: (value: Replied<unknown>) => void;
  reject: (error: VisageError) => void;
  timer: NodeJS.Timeout;
}

/** The requests of one client that wait for their reply, each with its deadline. */
export class PendingReplies {
  private readonly pending = new Map<string, Pending>();

  expect<T>(correlationId: string, timeoutMs: number, destination: Destination): Promise<Replied<T>> {
    const reply = new Promise<Replied<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        const service = destination === 'detector' ? 'detector' : 'store';
        reject(new VisageError('TIMEOUT', `No reply from the ${service} service within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(correlationId, { resolve: resolve as (value: Replied<unknown>) => void, reject, timer });
    });
    // The deadline may pass before the caller holds this promise (while a publish waits for its confirm): that
    // rejection must not count as unhandled, which ends the process; the caller still gets it.
    reply.catch(() => undefined);
    return reply;
  }

  /** An encoded reply frame; one that cannot be read fails only its own request. */
  receive(correlationId: string, content: Buffer): void {
    let frame: ReplyFrame | undefined;
    try {
      frame = decodeFrame<ReplyFrame>(content);
    } catch {
      frame = undefined;
    }
    if (frame?.ok === true) this.settle(correlationId, { data: frame.data, handled: frame.handled });
    else if (frame?.ok === false && typeof frame.error?.message === 'string') {
      this.settle(correlationId, undefined, frame.error);
    } else {
      this.settle(correlationId, undefined, {
        key: 'INTERNAL_ERROR',
        message: 'The reply to this request could not be read.',
      });
    }
  }

  settle(correlationId: string, replied: Replied<unknown> | undefined, error?: WireError): void {
    const pending = this.pending.get(correlationId);
    if (!pending) return;
    this.pending.delete(correlationId);
    clearTimeout(pending.timer);
    if (error || !replied) {
      pending.reject(VisageError.fromWire(error ?? { key: 'INTERNAL_ERROR', message: 'Empty reply.' }));
    } else pending.resolve(replied);
  }

  failAll(error: WireError): void {
    for (const id of [...this.pending.keys()]) this.settle(id, undefined, error);
  }
}
