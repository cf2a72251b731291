/** Feeds the in-process queues to the `@MessagePattern` handlers of one app, as AmqpTransport does from RabbitMQ. */
import { ConsumerTransport, type ConsumerOptions } from '../consumer-transport';
import type { InProcessBroker } from './in-process-broker';

export class InProcessTransport extends ConsumerTransport {
  private readonly detach: (() => void)[] = [];

  constructor(
    private readonly broker: InProcessBroker,
    options: ConsumerOptions,
  ) {
    super(options);
  }

  get connected(): boolean {
    return this.detach.length > 0 && !this.closing;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      for (const spec of this.options.consumers) {
        this.detach.push(this.broker.consume(spec.queue, spec.prefetch, (message) => this.consume(spec, message)));
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops taking work and waits (bounded) for the messages being handled; queued ones stay for the next consumer. */
  async close(): Promise<void> {
    this.closing = true;
    for (const detach of this.detach.splice(0)) detach();
    await this.drain();
  }
}
