import { Controller, Inject } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { ReplyOf } from '#contracts';
import { AmqpTransport, shardQueueNames } from '#messaging';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';

/** A shard counts as owned when it delivered to this replica within this window. */
const ownershipWindowMs = 60_000;

@Controller()
export class StatusController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly transport: AmqpTransport,
  ) {}

  @MessagePattern('store.status')
  async status(): Promise<ReplyOf<'store.status'>> {
    await this.dataSource.query('SELECT 1');
    const shardNames = shardQueueNames(this.shardCount());
    const since = Date.now() - ownershipWindowMs;
    const owned = this.transport
      .queueActivity()
      .filter((a) => a.lastDeliveryAt !== null && Date.parse(a.lastDeliveryAt) >= since)
      .map((a) => shardNames.indexOf(a.queue))
      .filter((index) => index >= 0);
    return { database: 'up', shards: { total: shardNames.length, owned } };
  }

  private shardCount(): number {
    return this.transport.queueActivity().filter((a) => a.queue.startsWith('visage.shard.')).length;
  }
}
