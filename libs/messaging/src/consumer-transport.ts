/**
 * What every transport that feeds queues to `@MessagePattern` handlers does the same way, RabbitMQ or in-process:
 * the reply after the handler (and so its database commit) finished, one log line and the metrics per message,
 * expired work dropped, catalogue errors answered, faults retried until the delivery limit dead-letters them.
 * Subclasses only move messages: deliver them here and ack or requeue as told.
 */
import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom, throwError, type Observable } from 'rxjs';
import { VisageError, type WireError } from '#contracts';
import { Metrics } from '#observability';
import { encodeFrame, decodeFrame } from './frame-codec';
import type { ReplyFrame } from './wire';

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

export interface ConsumerOptions {
  /** The process as the messaging layer names it (logs, the broker's connection list). */
  name: string;
  consumers: ConsumerSpec[];
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

/** One delivery of a message, as the transport received it. */
export interface Delivery {
  pattern: string;
  content: Buffer;
  requestId: string;
  redelivered: boolean;
  /** Earlier deliveries of this message that ended in a fault. */
  faults: number;
  deadline?: number;
  /** Sends the encoded reply frame to the caller, when one waits. */
  reply?: (frame: Buffer) => void;
}

/** What the transport does with the message once `consume` returns. */
export type Settlement = 'ack' | 'requeue';

export abstract class ConsumerTransport extends Server implements CustomTransportStrategy {
  private readonly activity = new Map<string, QueueActivity>();
  private inFlight = 0;
  protected closing = false;

  constructor(protected readonly options: ConsumerOptions) {
    super();
    for (const spec of options.consumers) {
      this.activity.set(spec.queue, { queue: spec.queue, handled: 0, lastDeliveryAt: null });
    }
  }

  /** Whether messages can reach the handlers now. */
  abstract get connected(): boolean;

  abstract listen(callback: (error?: unknown) => void): Promise<void>;

  abstract close(): Promise<void>;

  queueActivity(): QueueActivity[] {
    return [...this.activity.values()].map((a) => ({ ...a }));
  }

  on(): never {
    throw new Error(`${this.constructor.name} does not emit transport events`);
  }

  unwrap<T>(): T {
    throw new Error(`${this.constructor.name} has no client to unwrap`);
  }

  /** Waits (bounded) for the messages being handled to settle. */
  protected async drain(): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  protected async consume(spec: ConsumerSpec, delivery: Delivery): Promise<Settlement> {
    this.inFlight++;
    const { pattern, requestId } = delivery;
    const activity = this.activity.get(spec.queue)!;
    activity.handled++;
    activity.lastDeliveryAt = new Date().toISOString();
    const startedAt = preciseNow();
    const reply = (frame: ReplyFrame) => {
      const finishedAt = preciseNow();
      const outcome = frame.ok ? 'ok' : spec.answersDeadLetters ? 'dead_letter' : 'error';
      this.observe(spec.queue, pattern, outcome, startedAt, finishedAt, requestId, frame.ok ? undefined : frame.error);
      const handled = { queue: spec.queue, startedAt, finishedAt };
      delivery.reply?.(encodeFrame({ ...frame, handled }));
    };
    try {
      if (spec.answersDeadLetters) {
        reply({
          ok: false,
          error: { key: 'WRITE_FAILED', message: 'The write failed repeatedly and was not applied.' },
        });
        this.logger.error(`Dead-lettered ${pattern} request ${requestId}`);
        return 'ack';
      }
      if (spec.dropExpired && delivery.deadline !== undefined && delivery.deadline < Date.now()) {
        this.observe(spec.queue, pattern, 'expired', startedAt, preciseNow(), requestId);
        return 'ack';
      }
      const handler = this.getHandlerByPattern(pattern);
      if (!handler) throw new VisageError('INTERNAL_ERROR', `No handler for message pattern '${pattern}'.`);
      const context: MessageContext = {
        requestId,
        queue: spec.queue,
        redelivered: delivery.redelivered,
        deadline: delivery.deadline,
      };
      const result$ = this.transformToObservable(await handler(decodeFrame(delivery.content), context));
      const data = await lastValueFrom(result$ as Observable<unknown>, { defaultValue: null });
      if (this.options.failpoint === `crash-before-ack:${pattern}`) process.exit(70);
      reply({ ok: true, data });
      return 'ack';
    } catch (error) {
      return await this.fail(spec, delivery, error, reply);
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
    error?: WireError,
  ): void {
    const seconds = (finishedAt - startedAt) / 1000;
    Metrics.messagesHandled.inc({ queue, pattern, outcome });
    Metrics.messageDuration.observe({ queue, pattern }, seconds);
    this.logger.log({ requestId, queue, pattern, outcome, ms: Math.round(seconds * 10_000) / 10, error: error?.key });
  }

  private async fail(
    spec: ConsumerSpec,
    delivery: Delivery,
    error: unknown,
    reply: (frame: ReplyFrame) => void,
  ): Promise<Settlement> {
    if (error instanceof VisageError) {
      reply({ ok: false, error: error.toWire() });
      return 'ack';
    }
    const reason = error instanceof Error ? error.message : String(error);
    const final = this.options.classifyFault?.(error);
    if (final) {
      this.logger.warn(`Handler refused a request on ${spec.queue} (${final.key}): ${reason}`);
      reply({ ok: false, error: final.toWire() });
      return 'ack';
    }
    if (spec.onFault === 'final') {
      this.logger.error(`Handler fault on ${spec.queue}: ${reason}`);
      reply({ ok: false, error: { key: 'INTERNAL_ERROR', message: 'Internal error.' } });
      return 'ack';
    }
    // A fault (database down, deadlock) may pass: retry after a pause that grows with each delivery; the
    // queue's delivery limit dead-letters the message for good, and the dead-letter consumer answers the caller.
    Metrics.messagesHandled.inc({ queue: spec.queue, pattern: delivery.pattern, outcome: 'fault' });
    this.logger.warn(`Handler fault on ${spec.queue} (delivery ${delivery.faults + 1}): ${reason}; requeueing`);
    await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** delivery.faults, 5000)));
    return 'requeue';
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
