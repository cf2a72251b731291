/**
 * Enrolment of many photos at once: each file is sent as it is, a few at a time, with its own progress line and,
 * when refused, the API's own code and message. A photo with several faces waits for the user to pick one, which
 * is then sent again with that face as `targetFace`.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, call, errorText } from '../api/envelope-client';
import type { DetectedFace, Rectangle } from '../api/types';
import { FaceOverlay, PhotoDrop } from '../try-it/face-overlay';

type FileState =
  | { state: 'waiting' | 'sending' | 'enrolled' }
  | { state: 'refused'; message: string }
  | { state: 'several faces'; message: string };

interface Upload {
  file: File;
  progress: FileState;
}

/** Requests in flight at once: enough to keep a detector busy, well under the per-key image limit. */
const parallelUploads = 3;

export function Enrolment(props: {
  id: string;
  label: string;
  /** The persistedfaces route of the person or list the photos go to. */
  facesRoute: string;
  onEnrolled: () => void;
}) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [picking, setPicking] = useState<number>();
  // Files taken so far: two drops in quick succession must not get the same row numbers.
  const taken = useRef(0);

  const update = (index: number, progress: FileState) =>
    setUploads((all) => all.map((u, i) => (i === index ? { ...u, progress } : u)));

  const send = async (index: number, file: File, targetFace?: Rectangle) => {
    update(index, { state: 'sending' });
    const query = targetFace
      ? `?targetFace=${[targetFace.left, targetFace.top, targetFace.width, targetFace.height].join(',')}`
      : '';
    try {
      await call('POST', `${props.facesRoute}${query}`, file);
      update(index, { state: 'enrolled' });
      props.onEnrolled();
    } catch (error) {
      const message = errorText(error);
      const several = error instanceof ApiError && error.code === 'MULTIPLE_FACES';
      update(index, several ? { state: 'several faces', message } : { state: 'refused', message });
    }
  };

  const add = async (files: File[]) => {
    const first = taken.current;
    taken.current += files.length;
    setUploads((all) => [...all, ...files.map((file) => ({ file, progress: { state: 'waiting' as const } }))]);
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const index = next++;
        await send(first + index, files[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallelUploads, files.length) }, worker));
  };

  return (
    <div class="enrolment">
      <PhotoDrop id={props.id} label={props.label} multiple onFiles={(files) => void add(files)} />
      {uploads.length > 0 && (
        <ul class="uploads" aria-label={`Progress: ${props.label}`}>
          {uploads.map((upload, index) => (
            <li key={index} class={`upload ${upload.progress.state.replace(' ', '-')}`}>
              <span class="file">{upload.file.name}</span>{' '}
              <span class="state">
                {upload.progress.state}
                {'message' in upload.progress && `: ${upload.progress.message}`}
              </span>
              {upload.progress.state === 'several faces' && (
                <button type="button" onClick={() => setPicking(index)}>
                  Choose the face to enrol
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {picking !== undefined && (
        <FacePicker
          file={uploads[picking].file}
          onPick={(rectangle) => {
            const index = picking;
            setPicking(undefined);
            void send(index, uploads[index].file, rectangle);
          }}
          onCancel={() => setPicking(undefined)}
        />
      )}
    </div>
  );
}

function FacePicker(props: { file: File; onPick: (rectangle: Rectangle) => void; onCancel: () => void }) {
  const [url] = useState(() => URL.createObjectURL(props.file));
  const [faces, setFaces] = useState<DetectedFace[]>();
  const [error, setError] = useState('');
  useEffect(() => {
    call<DetectedFace[]>('POST', '/detect?returnFaceId=false', props.file).then(setFaces, (e: unknown) =>
      setError(errorText(e)),
    );
  }, [props.file]);
  return (
    <div class="picker" role="group" aria-label={`Choose the face to enrol from ${props.file.name}`}>
      <p>Choose the face to enrol from {props.file.name}:</p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <FaceOverlay
        src={url}
        alt={props.file.name}
        faces={(faces ?? []).map((face) => ({
          rectangle: face.face_rectangle,
          caption: 'enrol this face',
          tone: 'plain',
        }))}
        onPick={(index) => faces && props.onPick(faces[index].face_rectangle)}
      />
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}
