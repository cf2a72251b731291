/**
 * The open-set curves as an SVG file for docs/models.md, written by hand so that the benchmark needs no plotting
 * package: FNIR against FPIR, both on log scales (the region that matters is a few percent and under), one line
 * per recognition model (dashed: FPIR computed for larger groups), a dot at each model's default identify threshold.
 */
import type { OperatingPoint } from './open-set';

export interface PlottedModel {
  name: string;
  /** Measured on the development set's groups. */
  curve: OperatingPoint[];
  /** FPIR computed for larger groups at the same thresholds. */
  computed: { persons: number; curve: OperatingPoint[] }[];
  defaultPoint: OperatingPoint;
}

/** Dash patterns of the computed curves, by their place in `computed`. */
const dashes = ['6 4', '2 3'];

const width = 640;
const height = 440;
const margin = { left: 70, right: 190, top: 40, bottom: 60 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;
/** Rates under this are drawn on the axis: the set cannot measure them. */
const floor = 1e-3;
const decades = [1e-3, 1e-2, 1e-1, 1];
const colours = ['#1b6ca8', '#d1495b', '#2e933c', '#8f5bb5', '#e07a1f', '#444444'];

function x(fpir: number): number {
  return margin.left + ((Math.log10(Math.max(fpir, floor)) + 3) / 3) * plotWidth;
}

function y(fnir: number): number {
  return margin.top + (1 - (Math.log10(Math.max(fnir, floor)) + 3) / 3) * plotHeight;
}

function label(rate: number): string {
  return `${rate * 100} %`;
}

function fixed(value: number): string {
  return value.toFixed(1);
}

/** A step line: FNIR holds while FPIR falls between two thresholds. */
function polyline(curve: readonly OperatingPoint[], colour: string, dash: string): string {
  const points = curve.flatMap((point, j) => {
    const corner = j > 0 ? [`${fixed(x(point.fpir))},${fixed(y(curve[j - 1]!.fnir))}`] : [];
    return [...corner, `${fixed(x(point.fpir))},${fixed(y(point.fnir))}`];
  });
  const dashing = dash ? ` stroke-dasharray="${dash}"` : '';
  return `<polyline points="${points.join(' ')}" fill="none" stroke="${colour}" stroke-width="1.5"${dashing}/>`;
}

export function openSetPlot(models: readonly PlottedModel[], caption: string): string {
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="22" font-size="14">${caption}</text>`,
  ];
  for (const rate of decades) {
    parts.push(
      `<line x1="${fixed(x(rate))}" y1="${margin.top}" x2="${fixed(x(rate))}" y2="${margin.top + plotHeight}" stroke="#dddddd"/>`,
      `<line x1="${margin.left}" y1="${fixed(y(rate))}" x2="${margin.left + plotWidth}" y2="${fixed(y(rate))}" stroke="#dddddd"/>`,
      `<text x="${fixed(x(rate))}" y="${margin.top + plotHeight + 18}" text-anchor="middle">${label(rate)}</text>`,
      `<text x="${margin.left - 8}" y="${fixed(y(rate) + 4)}" text-anchor="end">${label(rate)}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#000000"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 16}" text-anchor="middle">FPIR: strangers given a candidate</text>`,
    `<text transform="translate(18 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">FNIR: enrolled persons missed</text>`,
  );
  models.forEach((model, i) => {
    const colour = colours[i % colours.length]!;
    parts.push(polyline(model.curve, colour, ''));
    model.computed.forEach((group, j) => parts.push(polyline(group.curve, colour, dashes[j % dashes.length]!)));
    parts.push(
      `<circle cx="${fixed(x(model.defaultPoint.fpir))}" cy="${fixed(y(model.defaultPoint.fnir))}" r="4" fill="${colour}"/>`,
      `<line x1="${margin.left + plotWidth + 14}" y1="${margin.top + 14 + i * 20}" x2="${margin.left + plotWidth + 34}" y2="${margin.top + 14 + i * 20}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${margin.left + plotWidth + 40}" y="${margin.top + 18 + i * 20}">${model.name}</text>`,
    );
  });
  const legendBottom = margin.top + 14 + models.length * 20;
  parts.push(
    `<circle cx="${margin.left + plotWidth + 24}" cy="${legendBottom + 6}" r="4" fill="#444444"/>`,
    `<text x="${margin.left + plotWidth + 40}" y="${legendBottom + 10}">default threshold</text>`,
    `<text x="${margin.left + plotWidth + 14}" y="${legendBottom + 34}" font-size="10">solid: measured, 13 persons</text>`,
    ...models[0]!.computed.map(
      (group, j) =>
        `<line x1="${margin.left + plotWidth + 14}" y1="${legendBottom + 44 + j * 14}" x2="${margin.left + plotWidth + 34}" y2="${legendBottom + 44 + j * 14}" stroke="#444444" stroke-dasharray="${dashes[j % dashes.length]!}"/>` +
        `<text x="${margin.left + plotWidth + 40}" y="${legendBottom + 48 + j * 14}" font-size="10">${group.persons.toLocaleString('en')} persons, computed</text>`,
    ),
    `<text x="${margin.left + plotWidth + 14}" y="${legendBottom + 48 + models[0]!.computed.length * 14 + 10}" font-size="10">rates under 0.1 % are</text>`,
    `<text x="${margin.left + plotWidth + 14}" y="${legendBottom + 62 + models[0]!.computed.length * 14 + 10}" font-size="10">drawn on the axis</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
