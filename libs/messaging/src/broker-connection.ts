/**
 * One recovering AMQP connection per process: it reconnects after a broker restart and re-runs `setup`, so
 * channels, consumers and topology come back without restarting the service.
 */
import { connect, type ChannelModel, type RecoveringChannelModel } from 'amqplib';

export interface BrokerConnectionOptions {
  url: string;
  /** Shown in the broker's connection list. */
  name: string;
  /** Runs after every (re)connect: open channels, declare topology, start consumers. */
  setup: (model: ChannelModel) => Promise<void>;
  onDisconnect?: (error: Error) => void;
}

/** Tries to connect for a few seconds at start (so a missing broker fails fast), then retries forever. */
export async function connectBroker(options: BrokerConnectionOptions): Promise<RecoveringChannelModel> {
  try {
    const connection = await connect(options.url, {
      clientProperties: { connection_name: options.name },
      // Frames of one message go out in several writes; Nagle would hold them for the peer's delayed ACK (~40 ms).
      noDelay: true,
      recovery: {
        initialDelay: 200,
        maxDelay: 5000,
        initialMaxRetries: 4,
        maxRetries: Infinity,
        setup: options.setup,
      },
    });
    connection.on('disconnect', (error: Error) => options.onDisconnect?.(error));
    connection.on('error', () => undefined);
    return connection;
  } catch (error) {
    throw new BrokerUnreachableError(options.url, error as Error);
  }
}

export class BrokerUnreachableError extends Error {
  constructor(url: string, cause: Error) {
    super(
      `Cannot connect to RabbitMQ at ${redactUrl(url)}: ${cause.message}. Start it (for example ` +
        `'rabbitmq-server -detached', or 'docker compose up -d rabbitmq') or point AMQP_URL at a running broker.`,
    );
    this.name = 'BrokerUnreachableError';
  }
}

/** Connection URLs carry passwords; never print one. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<invalid url>';
  }
}
