/** Status: the gateway's /health and /ready, refreshed while the view is open. */
import { useEffect, useState } from 'preact/hooks';
import { probe } from '../api/envelope-client';

interface Readiness {
  status: 'ready' | 'not ready';
  broker?: 'up' | 'down';
  detector?: { backend: string; workers: number; models: string[] } | { error: string };
  store?: { database: string; shards: { total: number; owned: number[] } } | { error: string };
}

const refreshMs = 5000;

export function Status(props: { active: boolean; keyVersion: number }) {
  const [health, setHealth] = useState<string>();
  const [ready, setReady] = useState<Readiness>();
  const [error, setError] = useState('');
  const [checkedAt, setCheckedAt] = useState<Date>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!props.active) return;
    Promise.all([probe<{ status: string }>('/health'), probe<Readiness>('/ready')]).then(
      ([h, r]) => {
        setError('');
        setHealth(h.body.status);
        setReady(r.body);
        setCheckedAt(new Date());
      },
      (e: unknown) => setError(`The gateway could not be reached: ${String(e)}`),
    );
    const timer = setTimeout(() => setTick((n) => n + 1), refreshMs);
    return () => clearTimeout(timer);
  }, [tick, props.active, props.keyVersion]);

  const detector = ready?.detector;
  const store = ready?.store;
  return (
    <section aria-labelledby="status-heading">
      <h2 id="status-heading">Status</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <dl class="status">
        <dt>Gateway</dt>
        <dd>{health === 'ok' ? 'answering' : 'checking…'}</dd>
        <dt>Service</dt>
        <dd class={ready?.status === 'ready' ? 'good' : 'bad'} data-ready={ready?.status}>
          {ready?.status ?? 'checking…'}
        </dd>
        {ready?.broker && (
          <>
            <dt>Broker</dt>
            <dd>{ready.broker}</dd>
          </>
        )}
        {detector && (
          <>
            <dt>Detector</dt>
            <dd>
              {'error' in detector
                ? detector.error
                : `${detector.backend} backend, ${detector.workers} worker${detector.workers === 1 ? '' : 's'}`}
            </dd>
          </>
        )}
        {store && (
          <>
            <dt>Store</dt>
            <dd>
              {'error' in store
                ? store.error
                : `database ${store.database}, ${store.shards.owned.length} of ${store.shards.total} shard queues handled recently`}
            </dd>
          </>
        )}
      </dl>
      {ready && ready.broker === undefined && (
        <p class="note">
          The service shows what each part answered only to a caller with a valid API key (none is set, or the service
          has no keys). Operators see the same, with queue depths and metrics, on each service's ops port.
        </p>
      )}
      <p class="muted">{checkedAt && `Checked at ${checkedAt.toLocaleTimeString()}; refreshed every 5 seconds.`}</p>
    </section>
  );
}
