/** docs/api.md lists every catalogue error with its real status and Azure code. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ErrorCatalogue } from '#contracts';
import { repoRoot } from './support/stack';

test('every catalogue entry is documented with its status and Azure code', () => {
  const doc = readFileSync(path.join(repoRoot, 'docs', 'api.md'), 'utf8');
  const rows = new Map<string, [string, string]>();
  for (const m of doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| `([^`]+)` \|/gm)) rows.set(m[1]!, [m[2]!, m[3]!]);
  assert.deepEqual([...rows.keys()].sort(), Object.keys(ErrorCatalogue).sort());
  for (const entry of Object.values(ErrorCatalogue)) {
    assert.deepEqual(rows.get(entry.code), [String(entry.status), entry.azureCode], entry.code);
  }
});
