/**
 * Threshold: the trade-off identify's confidence threshold makes, measured on the development set's open-set
 * protocol: strangers who get a candidate against enrolled people who are missed. The chosen value is what
 * Try it applies.
 */
import { useState } from 'preact/hooks';
import type { RecognitionModel } from '../api/types';
import { defaultThreshold, pointAt, thresholdCurves, type CurvePoint } from './threshold-curves';

const width = 560;
const height = 360;
const margin = { left: 72, right: 16, top: 16, bottom: 48 };

export function Threshold(props: { threshold: number | undefined; onThreshold: (value: number | undefined) => void }) {
  const [model, setModel] = useState<RecognitionModel>('recognition_01');
  const models = Object.keys(thresholdCurves) as RecognitionModel[];
  const points = thresholdCurves[model];
  const fallback = defaultThreshold(model);
  const chosen = props.threshold ?? fallback;
  const atDefault = pointAt(model, fallback);
  const atChosen = pointAt(model, chosen);

  // Logarithmic axes, as detection-error curves are drawn: the rates that matter are the small ones. A rate of
  // zero is drawn on the axis, at the floor.
  const floor = 0.001;
  const decades = [0.001, 0.01, 0.1, 1];
  const scale = (rate: number) => (Math.log10(Math.max(rate, floor)) - Math.log10(floor)) / -Math.log10(floor);
  const x = (fpir: number) => margin.left + scale(fpir) * (width - margin.left - margin.right);
  const y = (fnir: number) => height - margin.bottom - scale(fnir) * (height - margin.top - margin.bottom);
  const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
  const tickLabel = (rate: number) => (rate === floor ? '≤0.1%' : `${rate * 100}%`);

  return (
    <section aria-labelledby="threshold-heading">
      <h2 id="threshold-heading">Threshold</h2>
      <p>
        Identify names a person only when its confidence reaches the threshold. A lower threshold gives more strangers a
        candidate; a higher one misses more of the people you enrolled. Measured by <code>npm run bench:accuracy</code>{' '}
        on the development photos: 13 people enrolled, their held-back photos searched, and photos of 13 others searched
        as strangers.
      </p>
      <div class="row">
        <label for="threshold-model">Recognition model</label>
        <select
          id="threshold-model"
          value={model}
          onChange={(e) => setModel(e.currentTarget.value as RecognitionModel)}
        >
          {models.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <label for="threshold-value">Identify threshold</label>
        <input
          id="threshold-value"
          type="number"
          min={0}
          max={1}
          step={0.001}
          value={chosen}
          onInput={(e) => {
            const value = Number(e.currentTarget.value);
            if (Number.isFinite(value) && value >= 0 && value <= 1) props.onThreshold(value);
          }}
        />
        <input
          type="range"
          aria-label="Identify threshold slider"
          min={0.5}
          max={0.999}
          step={0.001}
          value={chosen}
          onInput={(e) => props.onThreshold(Number(e.currentTarget.value))}
        />
        <button type="button" onClick={() => props.onThreshold(undefined)} disabled={props.threshold === undefined}>
          Use the default
        </button>
      </div>
      <p role="status" aria-live="polite" class="status-line">
        Threshold {chosen.toFixed(3)}
        {props.threshold === undefined ? ` (the default of ${model})` : ''}
        {atChosen &&
          `: ${percent(atChosen.fpir)} of strangers given a candidate, ${percent(atChosen.fnir)} of people missed`}
        .
      </p>
      <svg
        class="chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Strangers given a candidate against people missed for ${model}; the default ${fallback} gives ${
          atDefault ? `${percent(atDefault.fpir)} and ${percent(atDefault.fnir)}` : 'no measured point'
        }`}
      >
        {decades.map((t) => (
          <g key={t} class="tick">
            <line x1={x(t)} x2={x(t)} y1={y(floor)} y2={y(1)} />
            <text x={x(t)} y={height - margin.bottom + 16} text-anchor="middle">
              {tickLabel(t)}
            </text>
            <line x1={x(floor)} x2={x(1)} y1={y(t)} y2={y(t)} />
            <text x={margin.left - 6} y={y(t) + 4} text-anchor="end">
              {tickLabel(t)}
            </text>
          </g>
        ))}
        <text x={(margin.left + width) / 2} y={height - 8} text-anchor="middle" class="axis">
          strangers given a candidate
        </text>
        <text
          x={14}
          y={(height - margin.bottom) / 2}
          text-anchor="middle"
          class="axis"
          transform={`rotate(-90 14 ${(height - margin.bottom) / 2})`}
        >
          people missed
        </text>
        <polyline class="curve" points={points.map((p) => `${x(p.fpir)},${y(p.fnir)}`).join(' ')} />
        {atDefault && <Marker point={atDefault} x={x} y={y} label={`default ${fallback}`} kind="default" />}
        {atChosen && props.threshold !== undefined && (
          <Marker point={atChosen} x={x} y={y} label={`chosen ${chosen.toFixed(3)}`} kind="chosen" />
        )}
      </svg>
      <table>
        <caption>Measured points of {model}</caption>
        <thead>
          <tr>
            <th scope="col">threshold</th>
            <th scope="col">strangers given a candidate</th>
            <th scope="col">people missed</th>
          </tr>
        </thead>
        <tbody>
          {points
            .filter((p) => p.confidence >= 0.9 || Math.round(p.confidence * 100) % 10 === 0)
            .map((p) => (
              <tr key={p.confidence} class={p.confidence === atChosen?.confidence ? 'current' : undefined}>
                <td>
                  <button type="button" onClick={() => props.onThreshold(p.confidence)}>
                    {p.confidence}
                  </button>
                </td>
                <td>{percent(p.fpir)}</td>
                <td>{percent(p.fnir)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}

function Marker(props: {
  point: CurvePoint;
  x: (v: number) => number;
  y: (v: number) => number;
  label: string;
  kind: 'default' | 'chosen';
}) {
  const cx = props.x(props.point.fpir);
  const cy = props.y(props.point.fnir);
  return (
    <g class={`marker ${props.kind}`}>
      <circle cx={cx} cy={cy} r={6} />
      <text x={cx + 10} y={props.kind === 'default' ? cy - 10 : cy + 20}>
        {props.label}
      </text>
    </g>
  );
}
