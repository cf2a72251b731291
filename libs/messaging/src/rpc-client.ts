/**
 * Request/reply over RabbitMQ with direct reply-to. Every publish is confirmed by the broker; writes are
 * persistent; detector work and reads expire with their deadline because nobody waits for them afterwards, and
 * detector work is refused at once (nacked) when the detector queue is at its length bound.
 */
import { randomUUID } from 'node:crypto';
import type { ConfirmChannel, ConsumeMessage, RecoveringChannelModel } from 'amqplib';
import {
  ErrorCatalogue,
  PatternDestinations,
  shardKeyOf,
  type Destination,
  type Pattern,
  type ReplyOf,
  type RequestOf,
  VisageError,
} from '#contracts';
import { vhostOf } from '#config';
import { connectBroker } from './broker-connection';
import { encodeFrame } from './frame-codec';
import { managementRequest } from './management-api';
import { MessageClient, PendingReplies, type Replied, type SendOptions } from './message-client';
import { Exchanges, Queues } from './topology';
import { Headers } from './wire';

const directReplyTo = 'amq.rabbitmq.reply-to';

export class RpcClient extends MessageClient {
  readonly transport = 'rabbitmq';
  private channel: ConfirmChannel | undefined;
  private readonly pending = new PendingReplies();
  private readonly closedChannels = new WeakSet<ConfirmChannel>();

  private connection: RecoveringChannelModel | undefined;

  private constructor(
    private readonly defaultTimeoutMs: number,
    private readonly queueStats?: { managementUrl: string; vhost: string },
  ) {
    super();
  }

  static async connect(
    url: string,
    options: { name: string; defaultTimeoutMs: number; managementUrl?: string },
  ): Promise<RpcClient> {
    const client = new RpcClient(
      options.defaultTimeoutMs,
      options.managementUrl ? { managementUrl: options.managementUrl, vhost: vhostOf(url) } : undefined,
    );
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

    const reply = this.pending.expect<ReplyOf<P>>(correlationId, timeoutMs, destination);
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
            persistent: persisted(destination),
            expiration: persisted(destination) ? undefined : String(timeoutMs),
            contentType: 'application/x-visage-frame',
            priority: options.priority,
          },
          (error) => (error ? reject(error) : resolve()),
        );
      });
    } catch {
      const nacked = !this.closedChannels.has(channel);
      this.pending.settle(
        correlationId,
        undefined,
        nacked && destination === 'detector'
          ? { key: 'DETECTOR_BUSY', message: ErrorCatalogue.DETECTOR_BUSY.message }
          : { key: 'SERVICE_UNAVAILABLE', message: 'The message broker did not accept the request. Retry later.' },
      );
    }
    return reply;
  }

  /** From the management API: AMQP tells a queue's depth only to whoever declares it. */
  async queueDepths(): Promise<Record<string, number> | undefined> {
    if (!this.queueStats) return undefined;
    const { managementUrl, vhost } = this.queueStats;
    try {
      const response = await managementRequest(
        managementUrl,
        `api/queues/${encodeURIComponent(vhost)}?columns=name,messages_ready`,
        'read the queue depths',
      );
      const queues = (await response.json()) as { name: string; messages_ready?: number }[];
      return Object.fromEntries(
        queues.filter((q) => q.name.startsWith('visage.')).map((q) => [q.name, q.messages_ready ?? 0]),
      );
    } catch {
      return undefined;
    }
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
      this.pending.settle(message.properties.correlationId as string, undefined, {
        key: 'SERVICE_UNAVAILABLE',
        message: 'No queue accepted the request. Retry later.',
      });
    });
    // Replies are read inside amqplib's frame handling, where a throw would close the reply channel for every
    // request in flight: PendingReplies.receive fails only the request whose reply cannot be read.
    await channel.consume(
      directReplyTo,
      (message) => {
        if (message) this.pending.receive(String(message.properties.correlationId ?? ''), message.content);
      },
      { noAck: true },
    );
    this.channel = channel;
  }

  /** Replies to requests sent before a broker disconnect can never arrive (direct reply-to is at most once). */
  private detach(): void {
    this.channel = undefined;
    this.pending.failAll({
      key: 'SERVICE_UNAVAILABLE',
      message: 'Lost the connection to the message broker before the reply arrived. Retry later.',
    });
  }
}

/** Writes survive a broker restart; work that only answers its caller expires with the caller's deadline. */
function persisted(destination: Destination): boolean {
  return destination === 'store' || destination === 'shard';
}

function route<P extends Pattern>(
  destination: Destination,
  pattern: P,
  request: RequestOf<P>,
): { exchange: string; routingKey: string } {
  switch (destination) {
    case 'detector':
      return { exchange: '', routingKey: Queues.detector };
    case 'reads':
      return { exchange: '', routingKey: Queues.storeReads };
    case 'store':
      return { exchange: '', routingKey: Queues.store };
    case 'shard':
      return { exchange: Exchanges.shards, routingKey: shardKeyOf(pattern, request) };
  }
}
