/**
 * Request/reply over RabbitMQ with direct reply-to. Every request has a correlation id and a deadline; the
 * caller gets a catalogue error (TIMEOUT, SERVICE_UNAVAILABLE, DETECTOR_BUSY) instead of a hang. Every publish is
 * confirmed by the broker; writes are persistent; detector work expires with its deadline because nobody waits
 * for it afterwards, and is refused at once (nacked) when the detector queue is at its length bound.
 */
import { randomUUID } from 'node:crypto';
import type { ConfirmChannel, ConsumeMessage, RecoveringChannelModel } from 'amqplib';
import {
  ErrorCatalogue,
  PatternDestinations,
  shardKeyOf,
  VisageError,
  type Destination,
  type Pattern,
  type ReplyOf,
  type RequestOf,
  type WireError,
} from '#contracts';
import { connectBroker } from './broker-connection';
import { decodeFrame, encodeFrame } from './frame-codec';
import { Exchanges, Queues } from './topology';
import type { RequestTimings } from './request-timings';
import { Headers, type HandledBy, type ReplyFrame } from './wire';

const directReplyTo = 'amq.rabbitmq.reply-to';

interface Pending {
  resolve: (value: Replied<unknown>) => void;
  reject: (error: VisageError) => void;
  timer: NodeJS.Timeout;
}

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

export class RpcClient {
  private channel: ConfirmChannel | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly closedChannels = new WeakSet<ConfirmChannel>();

  private connection: RecoveringChannelModel | undefined;

  private constructor(private readonly defaultTimeoutMs: number) {}

  static async connect(url: string, options: { name: string; defaultTimeoutMs: number }): Promise<RpcClient> {
    const client = new RpcClient(options.defaultTimeoutMs);
    client.connection = await connectBroker({
      url,
      name: options.name,
      setup: async (model) => client.attach(await model.createConfirmChannel()),
      onDisconnect: () => client.detach(),
    });
    return client;
  }

  get connected(): boolean {
    return this.channel !== undefined;
  }

  async send<P extends Pattern>(pattern: P, request: RequestOf<P>, options: SendOptions = {}): Promise<ReplyOf<P>> {
    const started = performance.now();
    const replied = await this.sendTraced(pattern, request, options);
    if (options.timings) {
      if (replied.handled) options.timings.record(pattern, replied.handled.finishedAt - replied.handled.startedAt);
      options.timings.record(`rpc.${pattern}`, performance.now() - started);
    }
    return replied.data;
  }

  /** Like `send`, and also says which queue served the request and when. */
  async sendTraced<P extends Pattern>(
    pattern: P,
    request: RequestOf<P>,
    options: SendOptions = {},
  ): Promise<Replied<ReplyOf<P>>> {
    const channel = this.channel;
    if (!channel) throw new VisageError('SERVICE_UNAVAILABLE', 'The message broker is not connected. Retry later.');
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const correlationId = randomUUID();
    const destination = PatternDestinations[pattern];
    const headers = {
      [Headers.pattern]: pattern,
      [Headers.deadline]: Date.now() + timeoutMs,
      [Headers.requestId]: options.requestId ?? correlationId,
    };
    const { exchange, routingKey } = route(destination, pattern, request);

    const reply = new Promise<Replied<ReplyOf<P>>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new VisageError('TIMEOUT', `No reply from the ${destination} service within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(correlationId, { resolve: resolve as (value: Replied<unknown>) => void, reject, timer });
    });
    // The deadline may pass while the publish still waits for the broker's confirm, before the caller holds this
    // promise: that rejection must not count as unhandled (which ends the process); the caller still gets it.
    reply.catch(() => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        channel.publish(
          exchange,
          routingKey,
          encodeFrame(request),
          {
            correlationId,
            replyTo: directReplyTo,
            messageId: options.requestId ?? correlationId,
            headers,
            mandatory: true,
            persistent: destination !== 'detector',
            expiration: destination === 'detector' ? String(timeoutMs) : undefined,
            contentType: 'application/x-visage-frame',
            priority: options.priority,
          },
          (error) => (error ? reject(error) : resolve()),
        );
      });
    } catch {
      const nacked = !this.closedChannels.has(channel);
      this.settle(
        correlationId,
        undefined,
        nacked && destination === 'detector'
          ? { key: 'DETECTOR_BUSY', message: ErrorCatalogue.DETECTOR_BUSY.message }
          : { key: 'SERVICE_UNAVAILABLE', message: 'The message broker did not accept the request. Retry later.' },
      );
    }
    return reply;
  }

  async close(): Promise<void> {
    this.detach();
    await this.connection?.close().catch(() => undefined);
  }

  private async attach(channel: ConfirmChannel): Promise<void> {
    // Runs before amqplib fails the unconfirmed publishes of a closing channel, so a publish that fails on a
    // channel not marked here was refused by the broker (a nack: the detector queue is full).
    channel.prependListener('close', () => this.closedChannels.add(channel));
    channel.on('error', () => undefined);
    channel.on('return', (message: ConsumeMessage) => {
      this.settle(message.properties.correlationId as string, undefined, {
        key: 'SERVICE_UNAVAILABLE',
        message: 'No queue accepted the request. Retry later.',
      });
    });
    await channel.consume(
      directReplyTo,
      (message) => {
        if (message) this.receive(message);
      },
      { noAck: true },
    );
    this.channel = channel;
  }

  /**
   * One reply. It runs inside amqplib's frame handling, where a throw closes the reply channel and leaves every
   * request in flight waiting for its timeout: a reply that cannot be read fails only its own request.
   */
  private receive(message: ConsumeMessage): void {
    const correlationId = String(message.properties.correlationId ?? '');
    let frame: ReplyFrame | undefined;
    try {
      frame = decodeFrame<ReplyFrame>(message.content);
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

  /** Replies to requests sent before a broker disconnect can never arrive (direct reply-to is at most once). */
  private detach(): void {
    this.channel = undefined;
    for (const id of [...this.pending.keys()]) {
      this.settle(id, undefined, {
        key: 'SERVICE_UNAVAILABLE',
        message: 'Lost the connection to the message broker before the reply arrived. Retry later.',
      });
    }
  }

  private settle(correlationId: string, replied: Replied<unknown> | undefined, error?: WireError): void {
    const pending = this.pending.get(correlationId);
    if (!pending) return;
    this.pending.delete(correlationId);
    clearTimeout(pending.timer);
    if (error || !replied)
      pending.reject(VisageError.fromWire(error ?? { key: 'INTERNAL_ERROR', message: 'Empty reply.' }));
    else pending.resolve(replied);
  }
}

function route<P extends Pattern>(
  destination: Destination,
  pattern: P,
  request: RequestOf<P>,
): { exchange: string; routingKey: string } {
  switch (destination) {
    case 'detector':
      return { exchange: '', routingKey: Queues.detector };
    case 'store':
      return { exchange: '', routingKey: Queues.store };
    case 'shard':
      return { exchange: Exchanges.shards, routingKey: shardKeyOf(pattern, request) };
  }
}
