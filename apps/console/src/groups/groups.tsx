/**
 * Groups and people: every kind of collection the API serves, its persons (or faces) with their face counts,
 * enrolment, and training with its status as it runs.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, errorText } from '../api/envelope-client';
import {
  collectionKinds,
  type Collection,
  type CollectionKindInfo,
  type ListFace,
  type Person,
  type RecognitionModel,
  type TrainingStatus,
} from '../api/types';
import { Enrolment } from './enrolment';

const recognitionModels: RecognitionModel[] = ['recognition_01', 'recognition_02', 'recognition_03', 'recognition_04'];

export function Groups(props: { keyVersion: number }) {
  const [kind, setKind] = useState<CollectionKindInfo>(collectionKinds[0]);
  const [collections, setCollections] = useState<Collection[]>([]);
  const [open, setOpen] = useState<string>();
  const [error, setError] = useState('');
  const [reload, setReload] = useState(0);

  useEffect(() => {
    setError('');
    call<Collection[]>('GET', `/${kind.kind}`).then(setCollections, (e: unknown) => {
      setCollections([]);
      setError(errorText(e));
    });
  }, [kind, reload, props.keyVersion]);

  const act = (work: Promise<unknown>) =>
    work.then(
      () => setReload((n) => n + 1),
      (e: unknown) => setError(errorText(e)),
    );

  const opened = collections.find((c) => c.id === open);
  return (
    <section aria-labelledby="groups-heading">
      <h2 id="groups-heading">Groups and people</h2>
      <div class="row">
        <label for="kind">Kind</label>
        <select
          id="kind"
          value={kind.kind}
          onChange={(e) => {
            setKind(collectionKinds.find((k) => k.kind === e.currentTarget.value)!);
            setOpen(undefined);
          }}
        >
          {collectionKinds.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      <CreateCollection kind={kind} onCreate={(id, body) => act(call('PUT', `/${kind.kind}/${id}`, body))} />
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <ul class="collections" aria-label={kind.label}>
        {collections.map((c) => (
          <li key={c.id}>
            <Editable
              label={`Name of ${c.id}`}
              value={c.name}
              onSave={(name) => act(call('PATCH', `/${kind.kind}/${c.id}`, { name }))}
            />{' '}
            <span class="muted">
              {c.id}, {c.recognition_model}
            </span>
            <button
              type="button"
              aria-expanded={open === c.id}
              onClick={() => setOpen(open === c.id ? undefined : c.id)}
            >
              {open === c.id ? 'Close' : 'Open'} {c.name}
            </button>
            <button
              type="button"
              onClick={() =>
                confirm(`Delete ${c.name} with everything in it?`) && act(call('DELETE', `/${kind.kind}/${c.id}`))
              }
            >
              Delete {c.name}
            </button>
          </li>
        ))}
      </ul>
      {collections.length === 0 && !error && <p class="muted">None yet.</p>}
      {opened && <CollectionPanel key={`${kind.kind}/${opened.id}`} kind={kind} collection={opened} />}
    </section>
  );
}

function CreateCollection(props: {
  kind: CollectionKindInfo;
  onCreate: (id: string, body: Record<string, unknown>) => void;
}) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [model, setModel] = useState<RecognitionModel>('recognition_01');
  return (
    <form
      class="row"
      aria-label={`Create: ${props.kind.label}`}
      onSubmit={(e) => {
        e.preventDefault();
        props.onCreate(id, { name: name || id, recognitionModel: model });
        setId('');
        setName('');
      }}
    >
      <label for="new-id">Id</label>
      <input
        id="new-id"
        required
        pattern="[a-z0-9_\-]{1,64}"
        value={id}
        onInput={(e) => setId(e.currentTarget.value)}
      />
      <label for="new-name">Name</label>
      <input id="new-name" maxLength={128} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="new-model">Recognition model</label>
      <select id="new-model" value={model} onChange={(e) => setModel(e.currentTarget.value as RecognitionModel)}>
        {recognitionModels.map((m) => (
          <option key={m}>{m}</option>
        ))}
      </select>
      <button type="submit">Create</button>
    </form>
  );
}

/** A name shown as text, with a button that turns it into a small form. */
function Editable(props: { label: string; value: string; onSave: (value: string) => void }) {
  const [editing, setEditing] = useState<string>();
  if (editing === undefined) {
    return (
      <>
        <strong>{props.value}</strong>{' '}
        <button type="button" onClick={() => setEditing(props.value)}>
          Rename {props.value}
        </button>
      </>
    );
  }
  return (
    <form
      class="inline"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave(editing);
        setEditing(undefined);
      }}
    >
      <label>
        {props.label}{' '}
        <input required maxLength={128} value={editing} onInput={(e) => setEditing(e.currentTarget.value)} />
      </label>
      <button type="submit">Save</button>
      <button type="button" onClick={() => setEditing(undefined)}>
        Cancel
      </button>
    </form>
  );
}

function CollectionPanel({ kind, collection }: { kind: CollectionKindInfo; collection: Collection }) {
  const base = `/${kind.kind}/${collection.id}`;
  return (
    <section class="panel" aria-labelledby="panel-heading">
      <h3 id="panel-heading">
        {collection.name} <span class="muted">({collection.id})</span>
      </h3>
      {kind.trained && <Training base={base} />}
      {kind.holds === 'persons' ? <Persons base={base} /> : <ListFaces base={base} />}
    </section>
  );
}

function Training({ base }: { base: string }) {
  const [status, setStatus] = useState<TrainingStatus | 'never trained'>();
  const [error, setError] = useState('');
  const [poll, setPoll] = useState(0);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    call<TrainingStatus>('GET', `${base}/training`).then(
      (s) => {
        setStatus(s);
        if (s.status === 'running' || s.status === 'notStarted') timer = setTimeout(() => setPoll((n) => n + 1), 1000);
      },
      (e: unknown) =>
        e instanceof ApiError && e.status === 404 && /TRAINING_NOT_FOUND$/.test(e.code)
          ? setStatus('never trained')
          : setError(errorText(e)),
    );
    return () => clearTimeout(timer);
  }, [base, poll]);

  const text =
    status === undefined
      ? ''
      : status === 'never trained'
        ? 'never trained'
        : `${status.status}${status.message ? `: ${status.message}` : ''}`;
  return (
    <div class="row">
      <button
        type="button"
        onClick={() => {
          setError('');
          call('POST', `${base}/train`).then(
            () => setPoll((n) => n + 1),
            (e: unknown) => setError(errorText(e)),
          );
        }}
      >
        Train
      </button>
      <span role="status" aria-live="polite" class="training">
        Training: {text}
      </span>
      {error && (
        <span role="alert" class="error">
          {error}
        </span>
      )}
    </div>
  );
}

function Persons({ base }: { base: string }) {
  const [persons, setPersons] = useState<Person[]>([]);
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const [reload, setReload] = useState(0);
  // Enrolment stays open per person, so uploads to several people can run side by side.
  const [enrolling, setEnrolling] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    listAll<Person>(`${base}/persons`).then(setPersons, (e: unknown) => setError(errorText(e)));
  }, [base, reload]);

  const act = (work: Promise<unknown>) =>
    work.then(
      () => setReload((n) => n + 1),
      (e: unknown) => setError(errorText(e)),
    );

  return (
    <>
      <form
        class="row"
        aria-label="Add a person"
        onSubmit={(e) => {
          e.preventDefault();
          act(call('POST', `${base}/persons`, { name }));
          setName('');
        }}
      >
        <label for="person-name">New person's name</label>
        <input id="person-name" required maxLength={128} value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit">Add person</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <ul class="persons" aria-label="Persons">
        {persons.map((p) => (
          <li key={p.id} data-person={p.name}>
            <Editable
              label={`Name of person ${p.id}`}
              value={p.name}
              onSave={(newName) => act(call('PATCH', `${base}/persons/${p.id}`, { name: newName }))}
            />{' '}
            <span class="faces">
              {p.persisted_face_ids.length} face{p.persisted_face_ids.length === 1 ? '' : 's'}
            </span>
            <button
              type="button"
              aria-expanded={enrolling.has(p.id)}
              onClick={() => setEnrolling(toggled(enrolling, p.id))}
            >
              Enrol photos of {p.name}
            </button>
            <button
              type="button"
              onClick={() =>
                confirm(`Delete ${p.name} and their faces?`) && act(call('DELETE', `${base}/persons/${p.id}`))
              }
            >
              Delete {p.name}
            </button>
            {enrolling.has(p.id) && (
              <Enrolment
                id={`enrol-${p.id}`}
                label={`Photos of ${p.name}`}
                facesRoute={`${base}/persons/${p.id}/persistedfaces`}
                onEnrolled={() => setReload((n) => n + 1)}
              />
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function ListFaces({ base }: { base: string }) {
  const [faces, setFaces] = useState<ListFace[]>([]);
  const [error, setError] = useState('');
  const [reload, setReload] = useState(0);

  useEffect(() => {
    listAll<ListFace>(`${base}/persistedfaces`).then(setFaces, (e: unknown) => setError(errorText(e)));
  }, [base, reload]);

  return (
    <>
      <p class="faces">
        {faces.length} face{faces.length === 1 ? '' : 's'}
      </p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <Enrolment
        id="enrol-list"
        label="Photos to add to the list"
        facesRoute={`${base}/persistedfaces`}
        onEnrolled={() => setReload((n) => n + 1)}
      />
    </>
  );
}

function toggled(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(set);
  if (!next.delete(id)) next.add(id);
  return next;
}

/** Every page of a list ordered by id (docs/api.md, Paging). */
async function listAll<T extends { id: string }>(route: string): Promise<T[]> {
  const all: T[] = [];
  for (;;) {
    const start = all.length > 0 ? `&start=${all[all.length - 1].id}` : '';
    const page = await call<T[]>('GET', `${route}?top=1000${start}`);
    all.push(...page);
    if (page.length < 1000) return all;
  }
}
