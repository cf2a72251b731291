/**
 * Try it: detect the faces of a photo, identify them against a person group, and verify two photos. Identify is
 * asked for each face's best candidate whatever its confidence, so that the threshold is applied here and a new
 * threshold relabels the boxes at once, as identify would answer with that `confidenceThreshold`.
 */
import { useEffect, useState } from 'preact/hooks';
import { call, errorText } from '../api/envelope-client';
import type {
  Collection,
  CollectionKind,
  DetectedFace,
  IdentifyResult,
  Person,
  RecognitionModel,
  VerifyResult,
} from '../api/types';
import { defaultThreshold } from '../threshold/threshold-curves';
import { FaceOverlay, PhotoDrop, type BoxedFace } from './face-overlay';

interface GroupChoice {
  kind: Extract<CollectionKind, 'largepersongroups' | 'persongroups'>;
  group: Collection;
}

interface Photo {
  file: File;
  url: string;
}

interface BestCandidate {
  name: string;
  confidence: number;
}

const detectQuery =
  'returnFaceId=true&returnFaceLandmarks=true&returnFaceAttributes=qualityForRecognition&faceIdTimeToLive=3600';

export function detect(photo: Blob, model: RecognitionModel): Promise<DetectedFace[]> {
  return call<DetectedFace[]>('POST', `/detect?${detectQuery}&recognitionModel=${model}`, photo);
}

export function TryIt(props: { active: boolean; threshold: number | undefined; keyVersion: number }) {
  const [groups, setGroups] = useState<GroupChoice[]>([]);
  const [choice, setChoice] = useState('');
  const [photo, setPhoto] = useState<Photo>();
  const [faces, setFaces] = useState<DetectedFace[]>();
  const [best, setBest] = useState<Map<string, BestCandidate | null>>(new Map());
  const [detectedWith, setDetectedWith] = useState<RecognitionModel>();
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const [showLandmarks, setShowLandmarks] = useState(false);

  // Asked again whenever the view is shown: groups may have been created meanwhile.
  useEffect(() => {
    if (!props.active) return;
    Promise.all(
      (['largepersongroups', 'persongroups'] as const).map(async (kind) =>
        (await call<Collection[]>('GET', `/${kind}`)).map((group) => ({ kind, group })),
      ),
    ).then(
      (lists) => {
        const all = lists.flat();
        setGroups(all);
        setChoice((current) => current || (all[0] ? `${all[0].kind}/${all[0].group.id}` : ''));
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, [props.active, props.keyVersion]);

  const selected = groups.find((g) => `${g.kind}/${g.group.id}` === choice);
  const model: RecognitionModel = selected?.group.recognition_model ?? 'recognition_01';
  const threshold = props.threshold ?? defaultThreshold(model);

  useEffect(() => {
    if (photo === undefined) return;
    let current = true;
    const run = async () => {
      setError('');
      setBest(new Map());
      setBusy('Detecting faces…');
      const found = await detect(photo.file, model);
      if (!current) return;
      setFaces(found);
      setDetectedWith(model);
      if (selected === undefined || found.length === 0) return;
      setBusy('Identifying…');
      setBest(await identifyAll(selected, found));
    };
    run()
      .catch((e: unknown) => current && setError(errorText(e)))
      .finally(() => current && setBusy(''));
    return () => {
      current = false;
    };
  }, [photo, choice, props.keyVersion]);

  const boxes: BoxedFace[] = (faces ?? []).map((face) => {
    const quality = face.face_attributes?.quality_for_recognition;
    const candidate = face.face_id === undefined ? undefined : best.get(face.face_id);
    const qualityText = quality ? `quality ${quality}` : '';
    const landmarks = showLandmarks ? Object.values(face.face_landmarks ?? {}) : undefined;
    if (candidate === undefined)
      return { rectangle: face.face_rectangle, caption: qualityText, tone: 'plain', landmarks };
    if (candidate === null || candidate.confidence < threshold) {
      return { rectangle: face.face_rectangle, caption: `unknown, ${qualityText}`, tone: 'unknown', landmarks };
    }
    const caption = `${candidate.name} ${candidate.confidence.toFixed(3)}, ${qualityText}`;
    return { rectangle: face.face_rectangle, caption, tone: 'known', landmarks };
  });

  return (
    <section aria-labelledby="try-heading">
      <h2 id="try-heading">Try it</h2>
      <div class="row">
        <label for="try-group">Identify against</label>
        <select id="try-group" value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
          <option value="">nobody (detect only)</option>
          {groups.map((g) => (
            <option key={`${g.kind}/${g.group.id}`} value={`${g.kind}/${g.group.id}`}>
              {g.group.name} ({g.kind === 'persongroups' ? 'person group' : 'large person group'} {g.group.id})
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" checked={showLandmarks} onChange={(e) => setShowLandmarks(e.currentTarget.checked)} />
          Show landmarks
        </label>
      </div>
      <p class="note">
        Threshold {threshold.toFixed(3)}{' '}
        {props.threshold === undefined ? `(the default of ${model})` : '(chosen under Threshold)'}: a face whose best
        candidate is less confident is shown as unknown.
      </p>
      <PhotoDrop
        id="try-photo"
        label="Photo to identify"
        onFiles={([file]) => {
          if (photo) URL.revokeObjectURL(photo.url);
          setPhoto({ file, url: URL.createObjectURL(file) });
        }}
      />
      <p role="status" aria-live="polite" class="status-line">
        {busy ||
          (faces && detectedWith && `${faces.length} face${faces.length === 1 ? '' : 's'} found (${detectedWith})`)}
      </p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {photo && <FaceOverlay src={photo.url} alt={`Your photo ${photo.file.name}`} faces={boxes} />}
      <Verify keyVersion={props.keyVersion} />
    </section>
  );
}

async function identifyAll(choice: GroupChoice, faces: DetectedFace[]): Promise<Map<string, BestCandidate | null>> {
  const ids = faces.flatMap((face) => (face.face_id ? [face.face_id] : []));
  const groupField = choice.kind === 'persongroups' ? 'personGroupId' : 'largePersonGroupId';
  const results: IdentifyResult[] = [];
  for (let start = 0; start < ids.length; start += 10) {
    results.push(
      ...(await call<IdentifyResult[]>('POST', '/identify', {
        faceIds: ids.slice(start, start + 10),
        [groupField]: choice.group.id,
        maxNumOfCandidatesReturned: 1,
        confidenceThreshold: 0,
      })),
    );
  }
  const names = new Map<string, string>();
  const best = new Map<string, BestCandidate | null>();
  for (const result of results) {
    const top = result.candidates[0];
    if (top === undefined) {
      best.set(result.face_id, null);
      continue;
    }
    if (!names.has(top.person_id)) {
      const person = await call<Person>('GET', `/${choice.kind}/${choice.group.id}/persons/${top.person_id}`);
      names.set(top.person_id, person.name);
    }
    best.set(result.face_id, { name: names.get(top.person_id)!, confidence: top.confidence });
  }
  return best;
}

function Verify(props: { keyVersion: number }) {
  const [sides, setSides] = useState<[Photo | undefined, Photo | undefined]>([undefined, undefined]);
  const [faces, setFaces] = useState<[DetectedFace | undefined, DetectedFace | undefined]>([undefined, undefined]);
  const [result, setResult] = useState<VerifyResult>();
  const [error, setError] = useState('');

  const choose = async (side: 0 | 1, file: File) => {
    setResult(undefined);
    setError('');
    const photo = { file, url: URL.createObjectURL(file) };
    setSides((s) => (side === 0 ? [photo, s[1]] : [s[0], photo]));
    try {
      const [largest] = await detect(file, 'recognition_01');
      if (largest === undefined) throw new Error(`No face found in ${file.name}`);
      setFaces((f) => (side === 0 ? [largest, f[1]] : [f[0], largest]));
    } catch (e) {
      setError(errorText(e));
    }
  };

  useEffect(() => {
    const [a, b] = faces;
    if (!a?.face_id || !b?.face_id) return;
    call<VerifyResult>('POST', '/verify', { faceId1: a.face_id, faceId2: b.face_id }).then(setResult, (e: unknown) =>
      setError(errorText(e)),
    );
  }, [faces, props.keyVersion]);

  return (
    <section aria-labelledby="verify-heading">
      <h3 id="verify-heading">Verify two photos</h3>
      <div class="pair">
        {([0, 1] as const).map((side) => (
          <div key={side}>
            <PhotoDrop id={`verify-${side + 1}`} label={`Photo ${side + 1}`} onFiles={([file]) => choose(side, file)} />
            {sides[side] && (
              <FaceOverlay
                src={sides[side].url}
                alt={`Photo ${side + 1}: ${sides[side].file.name}`}
                faces={
                  faces[side] ? [{ rectangle: faces[side].face_rectangle, caption: 'compared', tone: 'plain' }] : []
                }
              />
            )}
          </div>
        ))}
      </div>
      <p role="status" aria-live="polite" class="status-line">
        {result &&
          `${result.is_identical ? 'The same person' : 'Not the same person'} (confidence ${result.confidence.toFixed(3)})`}
      </p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </section>
  );
}
