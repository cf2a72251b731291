/**
 * A NestJS custom transport on amqplib: handlers stay ordinary `@MessagePattern` methods, while this class owns
 * what Nest's built-in RMQ transport gets wrong for us: explicit acks after the handler (and so its database
 * commit) finished, bounded prefetch per queue, raw binary frames, and retry-then-dead-letter for faults.
 */
import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Channel, ChannelModel, ConsumeMessage, RecoveringChannelModel } from 'amqplib';
import { lastValueFrom, throwError, type Observable } from 'rxjs';
import { VisageError, type WireError } from '#contracts';
import { Metrics } from '#observability';
import { connectBroker } from './broker-connection';
import { decodeFrame, encodeFrame } from './frame-codec';
import { Headers, type ReplyFrame } from './wire';

export interface ConsumerSpec {
  queue: string;
  /** Messages handled at once from this queue; 1 keeps a shard strictly sequential. */
  prefetch: number;
  /**
   * `final`: a handler fault is answered with INTERNAL_ERROR (pure computation, nothing to retry);
   * `retry`: the message is requeued after a pause and dead-lettered once the queue's delivery limit is hit.
   */
  onFault: 'final' | 'retry';
  /** Work nobody waits for any more is dropped (only for side-effect-free work). */
  dropExpired?: boolean;
  /** The dead-letter queue: its messages are never handled again, only answered with WRITE_FAILED. */
  answersDeadLetters?: boolean;
}

export interface AmqpTransportOptions {
  url: string;
  name: string;
  consumers: ConsumerSpec[];
  /** Runs on a fresh channel after each (re)connect, before consuming: declare and verify the topology. */
  prepare?: (channel: Channel) => Promise<void>;
  /**
   * Names the handler faults that retrying cannot fix (a value the database refuses, say): the catalogue error
   * it returns is answered at once and the message acked, never requeued or dead-lettered. Undefined: a fault.
   */
  classifyFault?: (error: unknown) => VisageError | undefined;
  /**
   * Test-only fault injection: `crash-before-ack:<pattern>` exits the process after a handler of that pattern
   * succeeded (its transaction committed), before the reply and the ack.
   */
  failpoint?: string;
}

export interface MessageContext {
  requestId: string;
  queue: string;
  redelivered: boolean;
  /** Epoch ms after which the caller no longer waits for the reply, when the publisher set one. */
  deadline?: number;
}

export interface QueueActivity {
  queue: string;
  handled: number;
  lastDeliveryAt: string | null;
}

export class AmqpTransport extends Server implements CustomTransportStrategy {
  private connection: RecoveringChannelModel | undefined;
  private readonly activity = new Map<string, QueueActivity>();
  private inFlight = 0;
  private closing = false;

  constructor(private readonly options: AmqpTransportOptions) {
    super();
    for (const spec of options.consumers) {
      this.activity.set(spec.queue, { queue: spec.queue, handled: 0, lastDeliveryAt: null });
    }
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
    const deadline = Date.now() + 10_000;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await this.connection?.close().catch(() => undefined);
  }

  queueActivity(): QueueActivity[] {
    return [...this.activity.values()].map((a) => ({ ...a }));
  }

  get connected(): boolean {
    return this.connection !== undefined && !this.closing;
  }

  on(): never {
    throw new Error('AmqpTransport does not emit transport events');
  }

  unwrap<T>(): T {
    return this.connection as T;
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
    this.inFlight++;
    const { headers = {}, replyTo, correlationId } = message.properties;
    const pattern = String(headers[Headers.pattern] ?? '');
    const activity = this.activity.get(spec.queue)!;
    activity.handled++;
    activity.lastDeliveryAt = new Date().toISOString();
    const startedAt = preciseNow();
    const requestId = String(headers[Headers.requestId] ?? correlationId ?? '');
    const reply = (frame: ReplyFrame) => {
      const finishedAt = preciseNow();
      const outcome = frame.ok ? 'ok' : spec.answersDeadLetters ? 'dead_letter' : 'error';
      this.observe(
        spec.queue,
        pattern,
        outcome,
        startedAt,
        finishedAt,
        requestId,
        frame.ok ? undefined : frame.error.key,
      );
      if (!replyTo) return;
      const handled = { queue: spec.queue, startedAt, finishedAt };
      whileChannelOpen(() => channel.sendToQueue(replyTo, encodeFrame({ ...frame, handled }), { correlationId }));
    };
    const ack = () => whileChannelOpen(() => channel.ack(message));
    try {
      if (spec.answersDeadLetters) {
        reply({
          ok: false,
          error: { key: 'WRITE_FAILED', message: 'The write failed repeatedly and was not applied.' },
        });
        this.logger.error(`Dead-lettered ${pattern} request ${requestId}`);
        ack();
        return;
      }
      if (spec.dropExpired && Number(headers[Headers.deadline]) < Date.now()) {
        this.observe(spec.queue, pattern, 'expired', startedAt, preciseNow(), requestId);
        ack();
        return;
      }
      const handler = this.getHandlerByPattern(pattern);
      if (!handler) throw new VisageError('INTERNAL_ERROR', `No handler for message pattern '${pattern}'.`);
      const context: MessageContext = {
        requestId,
        queue: spec.queue,
        redelivered: message.fields.redelivered,
        deadline: Number(headers[Headers.deadline]) || undefined,
      };
      const result$ = this.transformToObservable(await handler(decodeFrame(message.content), context));
      const data = await lastValueFrom(result$ as Observable<unknown>, { defaultValue: null });
      if (this.options.failpoint === `crash-before-ack:${pattern}`) process.exit(70);
      reply({ ok: true, data });
      ack();
    } catch (error) {
      await this.fail(channel, spec, message, error, reply, ack);
    } finally {
      this.inFlight--;
    }
  }

  /** One JSON log line and the metrics for each handled message, carrying the caller's request id. */
  private observe(
    queue: string,
    pattern: string,
    outcome: string,
    startedAt: number,
    finishedAt: number,
    requestId: string,
    error?: string,
  ): void {
    const seconds = (finishedAt - startedAt) / 1000;
    Metrics.messagesHandled.inc({ queue, pattern, outcome });
    Metrics.messageDuration.observe({ queue, pattern }, seconds);
    this.logger.log({ requestId, queue, pattern, outcome, ms: Math.round(seconds * 10_000) / 10, error });
  }

  private async fail(
    channel: Channel,
    spec: ConsumerSpec,
    message: ConsumeMessage,
    error: unknown,
    reply: (frame: ReplyFrame) => void,
    ack: () => void,
  ): Promise<void> {
    if (error instanceof VisageError) {
      reply({ ok: false, error: error.toWire() });
      ack();
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    const final = this.options.classifyFault?.(error);
    if (final) {
      this.logger.warn(`Handler refused a request on ${spec.queue} (${final.key}): ${reason}`);
      reply({ ok: false, error: final.toWire() });
      ack();
      return;
    }
    if (spec.onFault === 'final') {
      this.logger.error(`Handler fault on ${spec.queue}: ${reason}`);
      reply({ ok: false, error: { key: 'INTERNAL_ERROR', message: 'Internal error.' } satisfies WireError });
      ack();
      return;
    }
    // A fault (database down, deadlock) may pass: retry after a pause that grows with each delivery; the
    // queue's delivery limit dead-letters the message for good, and the dead-letter consumer answers the caller.
    const deliveries = Number(message.properties.headers?.['x-delivery-count'] ?? 0);
    Metrics.messagesHandled.inc({
      queue: spec.queue,
      pattern: String(message.properties.headers?.[Headers.pattern] ?? ''),
      outcome: 'fault',
    });
    this.logger.warn(`Handler fault on ${spec.queue} (delivery ${deliveries + 1}): ${reason}; requeueing`);
    await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** deliveries, 5000)));
    whileChannelOpen(() => channel.nack(message, false, true));
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

function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Lets catalogue errors reach the transport untouched instead of Nest's generic "Internal server error". */
@Catch()
export class PassRpcErrorsThrough implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
