/**
 * The RabbitMQ transport, on amqplib: handlers stay ordinary `@MessagePattern` methods, while this class owns
 * what Nest's built-in RMQ transport gets wrong for us: explicit acks after the handler (and so its database
 * commit) finished, bounded prefetch per queue, raw binary frames, and retry-then-dead-letter for faults.
 */
import type { Channel, ChannelModel, ConsumeMessage, RecoveringChannelModel } from 'amqplib';
import { connectBroker } from './broker-connection';
import { ConsumerTransport, type ConsumerOptions, type ConsumerSpec } from './consumer-transport';
import { Headers } from './wire';

export interface AmqpTransportOptions extends ConsumerOptions {
  url: string;
  /** Runs on a fresh channel after each (re)connect, before consuming: declare and verify the topology. */
  prepare?: (channel: Channel) => Promise<void>;
}

export class AmqpTransport extends ConsumerTransport {
  private connection: RecoveringChannelModel | undefined;

  constructor(protected readonly options: AmqpTransportOptions) {
    super(options);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.connection = await connectBroker({
        url: this.options.url,
        name: this.options.name,
        setup: (model) => this.setup(model),
        onDisconnect: (error) => this.logger.warn(`Broker connection lost: ${error.message}; reconnecting`),
      });
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops taking work, waits (bounded) for in-flight messages to be acked, then closes. */
  async close(): Promise<void> {
    this.closing = true;
    await this.drain();
    await this.connection?.close().catch(() => undefined);
  }

  get connected(): boolean {
    return this.connection !== undefined && !this.closing;
  }

  private async setup(model: ChannelModel): Promise<void> {
    if (this.options.prepare) {
      const channel = await model.createChannel();
      await this.options.prepare(channel);
      await channel.close();
    }
    for (const spec of this.options.consumers) {
      const channel = await model.createChannel();
      channel.on('error', () => undefined);
      await channel.prefetch(spec.prefetch);
      await channel.consume(spec.queue, (message) => {
        if (!message) return;
        this.handle(channel, spec, message).catch((error: Error) =>
          this.logger.error(`Message on ${spec.queue} not handled: ${error.message}`),
        );
      });
    }
  }

  private async handle(channel: Channel, spec: ConsumerSpec, message: ConsumeMessage): Promise<void> {
    if (this.closing) return; // unacked: the broker hands it to another consumer when we disconnect
    const { headers = {}, replyTo, correlationId } = message.properties;
    const settlement = await this.consume(spec, {
      pattern: String(headers[Headers.pattern] ?? ''),
      content: message.content,
      requestId: String(headers[Headers.requestId] ?? correlationId ?? ''),
      redelivered: message.fields.redelivered,
      faults: Number(headers['x-delivery-count'] ?? 0),
      deadline: Number(headers[Headers.deadline]) || undefined,
      reply: replyTo
        ? (frame) => whileChannelOpen(() => channel.sendToQueue(replyTo, frame, { correlationId }))
        : undefined,
    });
    if (settlement === 'ack') whileChannelOpen(() => channel.ack(message));
    else whileChannelOpen(() => channel.nack(message, false, true));
  }
}

/** After a broker restart the channel is gone; the broker has already requeued what it had not seen acked. */
function whileChannelOpen(action: () => void): void {
  try {
    action();
  } catch {
    // nothing to do: the message is redelivered, and writes are idempotent
  }
}
