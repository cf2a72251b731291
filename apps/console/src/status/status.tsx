/** Status: the gateway's /health and /ready, refreshed while the view is open. */
import { useEffect, useState } from 'preact/hooks';
import { probe } from '../api/envelope-client';

interface Readiness {
  status: 'ready' | 'not ready';
  deployment?: { mode: 'standalone' | 'distributed'; messaging: string; database: string };
  queues?: Record<string, number>;
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
        {ready?.deployment && (
          <>
            <dt>Runs as</dt>
            <dd>
              {ready.deployment.mode === 'standalone' ? 'one process' : 'separate services'},{' '}
              {ready.deployment.messaging} messaging, {ready.deployment.database} database
            </dd>
          </>
        )}
        {ready?.broker && (
          <>
            <dt>Messaging</dt>
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
      {ready?.queues && (
        <table class="queues">
          <caption>Messages waiting per queue</caption>
          <thead>
            <tr>
              <th scope="col">queue</th>
              <th scope="col">waiting</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(ready.queues).map(([queue, waiting]) => (
              <tr key={queue}>
                <td>{queue}</td>
                <td>{waiting}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ready && ready.broker === undefined && (
        <p class="note">
          The service shows what each part answered, and its queues, only to a caller with a valid API key (or to
          everyone when it has no keys and serves loopback only). Operators see the same, with metrics, on the ops port.
        </p>
      )}
      <p class="muted">{checkedAt && `Checked at ${checkedAt.toLocaleTimeString()}; refreshed every 5 seconds.`}</p>
    </section>
  );
}
