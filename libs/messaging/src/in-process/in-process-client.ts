/**
 * MessageClient over the in-process queues. Requests and replies are encoded exactly as on RabbitMQ, so the
 * handlers and their callers see the same values whichever transport carries them.
 */
import { randomUUID } from 'node:crypto';
import {
  ErrorCatalogue,
  PatternDestinations,
  VisageError,
  type Pattern,
  type ReplyOf,
  type RequestOf,
} from '#contracts';
import { encodeFrame } from '../frame-codec';
import { MessageClient, PendingReplies, type Replied, type SendOptions } from '../message-client';
import type { InProcessBroker } from './in-process-broker';

export class InProcessClient extends MessageClient {
  readonly transport = 'in-process';
  private readonly pending = new PendingReplies();
  private closed = false;

  constructor(
    private readonly broker: InProcessBroker,
    private readonly defaultTimeoutMs: number,
  ) {
    super();
  }

  get connected(): boolean {
    return !this.closed;
  }

  async sendTraced<P extends Pattern>(
    pattern: P,
    request: RequestOf<P>,
    options: SendOptions = {},
  ): Promise<Replied<ReplyOf<P>>> {
    if (this.closed) throw new VisageError('SERVICE_UNAVAILABLE', 'Visage is shutting down. Retry later.');
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const correlationId = randomUUID();
    const destination = PatternDestinations[pattern];
    const reply = this.pending.expect<ReplyOf<P>>(correlationId, timeoutMs, destination);
    const accepted = this.broker.publish(pattern, request, {
      pattern,
      content: encodeFrame(request),
      requestId: options.requestId ?? correlationId,
      redelivered: false,
      faults: 0,
      deadline: Date.now() + timeoutMs,
      priority: options.priority ?? 0,
      reply: (frame) => this.pending.receive(correlationId, frame),
    });
    if (!accepted) {
      this.pending.settle(correlationId, undefined, {
        key: 'DETECTOR_BUSY',
        message: ErrorCatalogue.DETECTOR_BUSY.message,
      });
    }
    return reply;
  }

  async queueDepths(): Promise<Record<string, number>> {
    return this.broker.depths();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pending.failAll({ key: 'SERVICE_UNAVAILABLE', message: 'Visage stopped before the reply arrived.' });
  }
}
