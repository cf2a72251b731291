/**
 * Builds the console into dist/console, which the gateway serves at /console. The threshold curves come from the
 * accuracy benchmark's committed results, cut down at build time to what the page draws.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const consoleRoot = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(consoleRoot, '..', '..');

interface AccuracyResults {
  models: Record<string, { openSet: { byConfidence: { confidence: number; fpir: number; fnir: number }[] } }>;
}

function thresholdCurves(): Record<string, { confidence: number; fpir: number; fnir: number }[]> {
  const results = JSON.parse(
    readFileSync(path.join(repoRoot, 'bench', 'results', 'accuracy.json'), 'utf8'),
  ) as AccuracyResults;
  return Object.fromEntries(Object.entries(results.models).map(([model, m]) => [model, m.openSet.byConfidence]));
}

export default defineConfig({
  root: consoleRoot,
  base: '/console/',
  publicDir: false,
  define: { __THRESHOLD_CURVES__: JSON.stringify(thresholdCurves()) },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: path.join(repoRoot, 'dist', 'console'),
    emptyOutDir: true,
    // The gateway's CSP allows scripts from the page's own origin only: no inline polyfill.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
