/** The console's frame: the API key, the four views, and the threshold they share. */
import { useEffect, useState } from 'preact/hooks';
import { storedKey, storeKey } from './api/envelope-client';
import { Groups } from './groups/groups';
import { Status } from './status/status';
import { Threshold } from './threshold/threshold';
import { TryIt } from './try-it/try-it';

const views = [
  { hash: '#try', label: 'Try it' },
  { hash: '#groups', label: 'Groups and people' },
  { hash: '#threshold', label: 'Threshold' },
  { hash: '#status', label: 'Status' },
] as const;
type View = (typeof views)[number]['hash'];

function currentView(): View {
  return views.find((v) => v.hash === location.hash)?.hash ?? '#try';
}

export function App() {
  const [view, setView] = useState<View>(currentView);
  const [threshold, setThreshold] = useState<number>();
  // Bumped when the key changes, so that every view asks again with it.
  const [keyVersion, setKeyVersion] = useState(0);

  useEffect(() => {
    const follow = () => setView(currentView());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);

  return (
    <>
      <header>
        <h1>Visage console</h1>
        <KeyForm onChange={() => setKeyVersion((n) => n + 1)} />
        <nav aria-label="Views">
          {views.map((v) => (
            <a key={v.hash} href={v.hash} aria-current={view === v.hash ? 'page' : undefined}>
              {v.label}
            </a>
          ))}
        </nav>
      </header>
      {/* Every view stays mounted, so a photo in Try it is still there after choosing a threshold. */}
      <main>
        <div hidden={view !== '#try'}>
          <TryIt active={view === '#try'} threshold={threshold} keyVersion={keyVersion} />
        </div>
        <div hidden={view !== '#groups'}>
          <Groups keyVersion={keyVersion} />
        </div>
        <div hidden={view !== '#threshold'}>
          <Threshold threshold={threshold} onThreshold={setThreshold} />
        </div>
        <div hidden={view !== '#status'}>
          <Status active={view === '#status'} keyVersion={keyVersion} />
        </div>
      </main>
    </>
  );
}

function KeyForm(props: { onChange: () => void }) {
  const [draft, setDraft] = useState('');
  const [saved, setSaved] = useState(storedKey() !== '');
  return (
    <form
      class="key"
      onSubmit={(e) => {
        e.preventDefault();
        storeKey(draft);
        setSaved(draft !== '');
        setDraft('');
        props.onChange();
      }}
    >
      <label for="api-key">API key</label>
      <input
        id="api-key"
        type="password"
        autoComplete="off"
        value={draft}
        placeholder={saved ? 'in use' : 'not set'}
        onInput={(e) => setDraft(e.currentTarget.value)}
      />
      <button type="submit">Use key</button>
      <button
        type="button"
        disabled={!saved}
        onClick={() => {
          storeKey('');
          setSaved(false);
          props.onChange();
        }}
      >
        Forget key
      </button>
      <span class="muted">Kept for this browser session only.</span>
    </form>
  );
}
