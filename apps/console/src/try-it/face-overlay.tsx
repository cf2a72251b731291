/**
 * A photo with its faces boxed over it. The photo is shown from an object URL: it never leaves the browser for
 * this. Boxes are placed in percent of the picture, so they follow the picture at any width.
 */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { Rectangle } from '../api/types';

export interface BoxedFace {
  rectangle: Rectangle;
  /** The name (or "unknown") and what else is said of the face, shown on the box. */
  caption: string;
  tone: 'known' | 'unknown' | 'plain';
  landmarks?: { x: number; y: number }[];
}

interface Props {
  src: string;
  alt: string;
  faces: BoxedFace[];
  /** When given, each box is a button that picks its face. */
  onPick?: (index: number) => void;
}

export function FaceOverlay({ src, alt, faces, onPick }: Props) {
  const [size, setSize] = useState<{ width: number; height: number }>();
  const percent = (value: number, of: number) => `${(100 * value) / of}%`;
  return (
    <figure class="photo">
      <img
        src={src}
        alt={alt}
        onLoad={(event) => {
          const image = event.currentTarget;
          setSize({ width: image.naturalWidth, height: image.naturalHeight });
        }}
      />
      {size &&
        faces.map((face, index) => {
          const { left, top, width, height } = face.rectangle;
          const style = {
            left: percent(left, size.width),
            top: percent(top, size.height),
            width: percent(width, size.width),
            height: percent(height, size.height),
          };
          const label = `Face ${index + 1}: ${face.caption}`;
          const box = onPick ? (
            <button type="button" class={`box ${face.tone}`} style={style} onClick={() => onPick(index)}>
              <span class="caption">{label}</span>
            </button>
          ) : (
            <div class={`box ${face.tone}`} style={style} data-face={index + 1} aria-label={label} role="img">
              <span class="caption" aria-hidden="true">
                {face.caption}
              </span>
            </div>
          );
          return (
            <Fragment key={index}>
              {box}
              {face.landmarks?.map((point, n) => (
                <span
                  key={n}
                  class="landmark"
                  aria-hidden="true"
                  style={{ left: percent(point.x, size.width), top: percent(point.y, size.height) }}
                />
              ))}
            </Fragment>
          );
        })}
    </figure>
  );
}

/** A file input that also takes files dropped on it. */
export function PhotoDrop(props: { id: string; label: string; multiple?: boolean; onFiles: (files: File[]) => void }) {
  const [over, setOver] = useState(false);
  return (
    <div
      class={over ? 'drop over' : 'drop'}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        const files = [...(event.dataTransfer?.files ?? [])];
        if (files.length > 0) props.onFiles(props.multiple ? files : files.slice(0, 1));
      }}
    >
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="file"
        accept="image/jpeg,image/png,image/gif,image/bmp"
        multiple={props.multiple}
        onChange={(event) => {
          const input = event.currentTarget;
          const files = [...(input.files ?? [])];
          input.value = '';
          if (files.length > 0) props.onFiles(files);
        }}
      />
      <span class="hint">or drop {props.multiple ? 'photos' : 'a photo'} here</span>
    </div>
  );
}
