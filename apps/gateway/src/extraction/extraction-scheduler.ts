import { Injectable } from '@nestjs/common';
import { VisageError, type ExtractReply, type ExtractRequest } from '#contracts';
import { MessageClient } from '#messaging';
import { sendOptions, type Caller } from '../common/caller';
import { GatewayConfig } from '../gateway.config';
import { FairShareQueue } from './fair-share-queue';

/**
 * Every `detector.extract` of this gateway goes through here: at most EXTRACTIONS_IN_FLIGHT at the detectors at
 * once, the others waiting in one line per tenant served in turn, so a tenant flooding images waits behind its
 * own images and another tenant's image is sent after at most one image of each busy tenant. Lines are per
 * tenant, not per key, so more keys buy no bigger share.
 */
@Injectable()
export class ExtractionScheduler {
  private readonly lines: FairShareQueue;

  constructor(
    private readonly rpc: MessageClient,
    private readonly config: GatewayConfig,
  ) {
    this.lines = new FairShareQueue({
      concurrency: config.EXTRACTIONS_IN_FLIGHT,
      maxWaitingPerLine: config.EXTRACTION_QUEUE_PER_TENANT,
      refusal: (waiting, retryAfterSeconds) =>
        new VisageError(
          'RATE_LIMITED',
          `${waiting} images of this tenant already wait for face detection. Try again in ${retryAfterSeconds} seconds.`,
          { retryAfterSeconds },
        ),
    });
  }

  /** Waiting for a place counts against DETECT_TIMEOUT_MS, like waiting in the detector's queue. */
  extract(caller: Caller, request: ExtractRequest): Promise<ExtractReply> {
    return this.lines.run(
      caller.tenantId,
      (remainingMs) => this.rpc.send('detector.extract', request, sendOptions(caller, { timeoutMs: remainingMs })),
      this.config.DETECT_TIMEOUT_MS,
    );
  }
}
