/**
 * The workspace is what `npm run build` builds (tsc, and vite for the console's bundle): every app has its entry
 * point, every library is imported by its `#name` alias, which resolves to its index for the type checker and to
 * the compiled index at run time, and nest-cli.json, the Nest monorepo's map of projects, names each of them.
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

test('nest-cli.json maps exactly the folders of apps/ and libs/ to their entry points', () => {
  const cli = JSON.parse(readFileSync(path.join(repoRoot, 'nest-cli.json'), 'utf8')) as {
    projects: Record<string, { type: string; root: string; sourceRoot: string; entryFile: string }>;
  };
  const roots = Object.values(cli.projects).map((p) => p.root);
  const expected = [...folders('apps').map((app) => `apps/${app}`), ...folders('libs').map((lib) => `libs/${lib}`)];
  assert.deepEqual([...roots].sort(), expected.sort());
  for (const project of Object.values(cli.projects)) {
    assert.equal(project.type, project.root.startsWith('apps/') ? 'application' : 'library');
    assert.ok(existsSync(path.join(repoRoot, project.sourceRoot, `${project.entryFile}.ts`)), project.root);
  }
});
