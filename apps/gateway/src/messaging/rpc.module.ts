import { Global, Module, type DynamicModule } from '@nestjs/common';
import { RpcClient } from '#messaging';

/** The one broker client of the gateway, shared by every use case. */
@Global()
@Module({})
export class RpcModule {
  static forClient(client: RpcClient): DynamicModule {
    return { module: RpcModule, providers: [{ provide: RpcClient, useValue: client }], exports: [RpcClient] };
  }
}
