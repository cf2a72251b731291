/**
 * The stack's readiness as this gateway sees it: the broker connection, and one status round trip to a detector
 * and to a store. Callers within a short window share one probe, so a flood of /ready costs at most one pair of
 * status messages per window instead of two messages per request.
 */
import type { DetectorStatus, StoreStatus } from '#contracts';
import type { MessageClient } from '#messaging';
import { NotReadyError, type ReadinessCheck } from '#observability';
import type { Deployment } from './deployment';

export interface StackReadiness {
  ready: boolean;
  deployment: Deployment;
  broker: 'up' | 'down';
  detector: DetectorStatus | { error: string };
  store: StoreStatus | { error: string };
  /** Messages waiting per queue, when the messaging can tell. */
  queues?: Record<string, number>;
}

/** A result is shared for this long after it settles; a probe in flight is always shared. */
export const readinessShareMs = 2000;
const probeTimeoutMs = 3000;

export class ReadinessProbe {
  private latest?: { result: Promise<StackReadiness>; settledAt?: number };

  constructor(
    private readonly probe: () => Promise<StackReadiness>,
    private readonly shareMs = readinessShareMs,
    private readonly now: () => number = Date.now,
  ) {}

  static overMessaging(client: MessageClient, deployment: Deployment): ReadinessProbe {
    return new ReadinessProbe(() => probeStack(client, deployment));
  }

  current(): Promise<StackReadiness> {
    const latest = this.latest;
    if (latest && (latest.settledAt === undefined || this.now() - latest.settledAt < this.shareMs)) {
      return latest.result;
    }
    const next: { result: Promise<StackReadiness>; settledAt?: number } = { result: this.probe() };
    void next.result.then(
      () => (next.settledAt = this.now()),
      () => (next.settledAt = this.now()),
    );
    this.latest = next;
    return next.result;
  }
}

async function probeStack(rpc: MessageClient, deployment: Deployment): Promise<StackReadiness> {
  const [detector, store, queues] = await Promise.allSettled([
    // Priority lets the detector's probe overtake queued images; the store's queue has no priorities.
    rpc.send('detector.status', {}, { timeoutMs: probeTimeoutMs, priority: 2 }),
    rpc.send('store.status', {}, { timeoutMs: probeTimeoutMs }),
    rpc.queueDepths(),
  ]);
  return {
    ready: rpc.connected && detector.status === 'fulfilled' && store.status === 'fulfilled',
    deployment,
    broker: rpc.connected ? 'up' : 'down',
    detector: detector.status === 'fulfilled' ? detector.value : { error: (detector.reason as Error).message },
    store: store.status === 'fulfilled' ? store.value : { error: (store.reason as Error).message },
    queues: queues.status === 'fulfilled' ? queues.value : undefined,
  };
}

/** What a caller with a key, or the ops port, sees: the status and what each part answered. */
export function readinessDetails(readiness: StackReadiness): Omit<StackReadiness, 'ready'> {
  const { deployment, broker, detector, store, queues } = readiness;
  return { deployment, broker, detector, store, queues };
}

/** /ready of the gateway's ops port: the details when ready, else a 503 that carries them. */
export function opsReadiness(probe: ReadinessProbe): ReadinessCheck {
  return async () => {
    const readiness = await probe.current();
    if (!readiness.ready) {
      throw new NotReadyError('the broker, a detector or a store does not answer', readinessDetails(readiness));
    }
    return readinessDetails(readiness);
  };
}
