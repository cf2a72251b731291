import { Controller, Inject } from '@nestjs/common';
import type { ReplyOf } from '#contracts';
import { ConsumerTransport, Handles, shardQueueNames } from '#messaging';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../database/database.module';
import { recentlyServedShards } from './shard-ownership';

export const SHARD_COUNT = Symbol('SHARD_COUNT');

@Controller()
export class StatusController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SHARD_COUNT) private readonly shardCount: number,
    private readonly transport: ConsumerTransport,
  ) {}

  @Handles('store.status')
  async status(): Promise<ReplyOf<'store.status'>> {
    await this.dataSource.query('SELECT 1');
    const names = shardQueueNames(this.shardCount);
    const owned = recentlyServedShards(this.transport, this.shardCount).map((queue) => names.indexOf(queue));
    return { database: 'up', shards: { total: this.shardCount, owned } };
  }
}
