import type { MessageTransportKind } from '#messaging';

/** How this Visage runs, as /ready reports it and the first log lines say. */
export interface Deployment {
  /** `standalone`: gateway, detector and store in one process; `distributed`: separate services on RabbitMQ. */
  mode: 'standalone' | 'distributed';
  messaging: MessageTransportKind;
  /** `embedded`: the PostgreSQL that Visage runs itself in its data folder; `external`: DATABASE_URL. */
  database: 'embedded' | 'external';
}

export const distributedDeployment: Deployment = { mode: 'distributed', messaging: 'rabbitmq', database: 'external' };
