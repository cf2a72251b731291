import 'reflect-metadata';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import type { ReplyOf, RequestOf } from '#contracts';
import type { MessageContext } from './consumer-transport';
import { Handles } from './handles';
import { InProcessBroker } from './in-process/in-process-broker';
import { InProcessClient } from './in-process/in-process-client';
import { InProcessTransport } from './in-process/in-process-transport';
import { Queues } from './topology';

const none = <T>(): T => undefined as T;

class Handlers {
  @Handles('faces.get')
  get(_request: RequestOf<'faces.get'>): Promise<ReplyOf<'faces.get'>> {
    return Promise.resolve(none());
  }

  @Handles('store.status')
  status(): ReplyOf<'store.status'> {
    return none();
  }

  // @ts-expect-error a pattern the contract map does not have
  @Handles('faces.gett')
  typo(_request: RequestOf<'faces.get'>): Promise<ReplyOf<'faces.get'>> {
    return Promise.resolve(none());
  }

  // @ts-expect-error the handler needs an idempotency key that a faces.get request does not carry
  @Handles('faces.get')
  wantsMore(_request: RequestOf<'faces.delete'>): Promise<ReplyOf<'faces.get'>> {
    return Promise.resolve(none());
  }

  // @ts-expect-error the reply of another pattern
  @Handles('faces.delete')
  wrongReply(_request: RequestOf<'faces.delete'>): Promise<ReplyOf<'faces.get'>> {
    return Promise.resolve(none());
  }
}

test("a handler is registered under its contract pattern, as Nest's @MessagePattern registers it", () => {
  const pattern = (method: keyof Handlers) =>
    Reflect.getMetadata(PATTERN_METADATA, Handlers.prototype[method]) as unknown[];
  assert.deepEqual(pattern('get'), ['faces.get']);
  assert.deepEqual(pattern('status'), ['store.status']);
});

@Controller()
class EchoingStore {
  @Handles('groups.get')
  get(request: RequestOf<'groups.get'>, context: MessageContext): ReplyOf<'groups.get'> {
    const at = new Date(0).toISOString();
    const name = `${request.groupId} from ${context.queue}`;
    return {
      groupId: request.groupId,
      name,
      userData: null,
      recognitionModel: 'recognition_01',
      createdAt: at,
      updatedAt: at,
    };
  }
}

@Module({ controllers: [EchoingStore] })
class EchoingStoreModule {}

test('a handler gets the request and the message context, with no parameter decorators', async () => {
  const broker = new InProcessBroker({ shardCount: 1, detectorQueueMaxLength: 1 });
  const transport = new InProcessTransport(broker, {
    name: 'handles-spec',
    consumers: [{ queue: Queues.storeReads, prefetch: 1, onFault: 'final' }],
  });
  const app = await NestFactory.createMicroservice(EchoingStoreModule, { strategy: transport, logger: false });
  await app.listen();
  const client = new InProcessClient(broker, 5_000);
  try {
    const reply = await client.send('groups.get', { tenantId: 't', kind: 'largePersonGroup', groupId: 'g1' });
    assert.equal(reply.name, `g1 from ${Queues.storeReads}`);
  } finally {
    await client.close();
    await app.close();
  }
});
