import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { MessageClient } from '#messaging';
import { apiControllers } from './api-controllers';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeys } from './auth/api-keys';
import { ImageRequestsGuard } from './auth/image-requests.guard';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { ConsoleAssets } from './console/console-assets';
import { ConsoleController } from './console/console.controller';
import { unroutedErrorFilter } from './common/dialect-error.filter';
import { InputRulesInterceptor } from './common/input-rules.interceptor';
import { JsonBodyInterceptor } from './common/json-body.interceptor';
import { RequestLogMiddleware } from './common/request-log.middleware';
import { ServerTimingInterceptor } from './common/server-timing.interceptor';
import { createValidationPipe } from './common/validation';
import { DetectUseCases } from './detect/detect.use-cases';
import { ExtractionScheduler } from './extraction/extraction-scheduler';
import { FaceGroupingUseCases } from './face-grouping/face-grouping.use-cases';
import { FacesUseCases } from './faces/faces.use-cases';
import { FindSimilarUseCases } from './find-similar/find-similar.use-cases';
import { IdentifyUseCases } from './identify/identify.use-cases';
import { TrainingUseCases } from './training/training.use-cases';
import { VerifyUseCases } from './verify/verify.use-cases';
import { GatewayConfig } from './gateway.config';
import { GroupModelCache } from './groups/group-model.cache';
import { GroupsUseCases } from './groups/groups.use-cases';
import type { Deployment } from './health/deployment';
import { ReadinessProbe } from './health/readiness-probe';
import { ImageFetcher, parseAllowList } from './images/image-fetcher';
import { MessagingModule } from './messaging/messaging.module';
import { ApiDescription, OpenApiController } from './openapi/openapi.controller';
import { publishedDocument } from './openapi/published-document';
import { PersonsUseCases } from './persons/persons.use-cases';
import { RequestBodyInterceptor } from './request-body/request-body.interceptor';
import { Limits } from '#contracts';

@Module({})
export class GatewayModule implements NestModule {
  static register(config: GatewayConfig, client: MessageClient, keys: ApiKeys, deployment: Deployment): DynamicModule {
    return {
      module: GatewayModule,
      imports: [MessagingModule.forClient(client)],
      controllers: [...apiControllers, OpenApiController, ConsoleController],
      providers: [
        { provide: GatewayConfig, useValue: config },
        { provide: ApiKeys, useValue: keys },
        { provide: ReadinessProbe, useValue: ReadinessProbe.overMessaging(client, deployment) },
        { provide: ConsoleAssets, useValue: ConsoleAssets.load() },
        { provide: ApiDescription, useValue: new ApiDescription(publishedDocument) },
        {
          provide: ImageFetcher,
          useValue: new ImageFetcher({
            timeoutMs: config.URL_FETCH_TIMEOUT_MS,
            maxRedirects: 3,
            maxBytes: Limits.imageMaxBytes,
            allow: parseAllowList(config.URL_FETCH_ALLOW),
          }),
        },
        GroupModelCache,
        GroupsUseCases,
        PersonsUseCases,
        FacesUseCases,
        TrainingUseCases,
        DetectUseCases,
        IdentifyUseCases,
        VerifyUseCases,
        FindSimilarUseCases,
        FaceGroupingUseCases,
        ExtractionScheduler,
        // Guards run in this order: the limits count per key, so they need the key found first. Bodies are read
        // after every guard (RequestBodyInterceptor), so a refused request is answered before its body is read.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: ImageRequestsGuard },
        { provide: APP_PIPE, useValue: createValidationPipe() },
        { provide: APP_FILTER, useValue: unroutedErrorFilter },
        // Interceptors run after the guards (a caller without a key hears 401 first) and before the pipes: a body
        // of the wrong type for a JSON route is refused, then the body is read and checked against the input rules.
        { provide: APP_INTERCEPTOR, useClass: JsonBodyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: RequestBodyInterceptor },
        { provide: APP_INTERCEPTOR, useClass: InputRulesInterceptor },
        { provide: APP_INTERCEPTOR, useClass: ServerTimingInterceptor },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLogMiddleware).forRoutes('*');
  }
}
