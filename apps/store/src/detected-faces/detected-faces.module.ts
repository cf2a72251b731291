import { Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DetectedFacesController } from './detected-faces.controller';
import { DetectedFacesService } from './detected-faces.service';

const pruneEveryMs = 60_000;

@Module({ controllers: [DetectedFacesController], providers: [DetectedFacesService], exports: [DetectedFacesService] })
export class DetectedFacesModule implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(private readonly detected: DetectedFacesService) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.detected.pruneExpired().catch(() => undefined), pruneEveryMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
