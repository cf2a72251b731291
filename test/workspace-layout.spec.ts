/**
 * The workspace is what `npm run build` builds (tsc, and vite for the console's bundle; there is no Nest CLI
 * build): every app has its entry point, and every library is imported by its `#name` alias, which resolves to
 * its index for the type checker and to the compiled index at run time.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/stack';

const folders = (dir: string) => readdirSync(path.join(repoRoot, dir)).sort();

test('every app folder has its entry point, src/main.ts', () => {
  for (const app of folders('apps')) {
    assert.ok(existsSync(path.join(repoRoot, 'apps', app, 'src', 'main.ts')), app);
  }
});

test('package.json imports each library as #name: its index to the type checker, its build at run time', () => {
  const { imports } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    imports: Record<string, { types: string; default: string }>;
  };
  const libs = folders('libs');
  assert.deepEqual(Object.keys(imports).sort(), libs.map((lib) => `#${lib}`).sort());
  for (const lib of libs) {
    assert.deepEqual(imports[`#${lib}`], {
      types: `./libs/${lib}/src/index.ts`,
      default: `./dist/libs/${lib}/src/index.js`,
    });
    assert.ok(existsSync(path.join(repoRoot, 'libs', lib, 'src', 'index.ts')), lib);
  }
});
