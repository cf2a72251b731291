import { Global, Module, type DynamicModule } from '@nestjs/common';
import { MessageClient } from '#messaging';

/** The one message client of the gateway (RabbitMQ or in-process), shared by every use case. */
@Global()
@Module({})
export class MessagingModule {
  static forClient(client: MessageClient): DynamicModule {
    return {
      module: MessagingModule,
      providers: [{ provide: MessageClient, useValue: client }],
      exports: [MessageClient],
    };
  }
}
