/** nest-cli.json names every app and library of the monorepo, with the folders they really have. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/stack';

test('nest-cli.json lists exactly the folders of apps/ and libs/', () => {
  const cli = JSON.parse(readFileSync(path.join(repoRoot, 'nest-cli.json'), 'utf8')) as {
    projects: Record<string, { type: string; root: string; sourceRoot: string; entryFile: string }>;
  };
  const folders = (dir: string) => readdirSync(path.join(repoRoot, dir)).map((name) => `${dir}/${name}`);
  const roots = Object.values(cli.projects).map((p) => p.root);
  assert.deepEqual([...roots].sort(), [...folders('apps'), ...folders('libs')].sort());
  for (const project of Object.values(cli.projects)) {
    assert.equal(project.type, project.root.startsWith('apps/') ? 'application' : 'library');
    assert.ok(existsSync(path.join(repoRoot, project.sourceRoot, `${project.entryFile}.ts`)), project.root);
  }
});
