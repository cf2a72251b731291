/** docs/configuration.md documents exactly the variables the services read, with their real defaults. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { variablesOf } from '#config';
import { DetectorConfig } from '../apps/detector/src/detector.config';
import { StandaloneConfig } from '../apps/standalone/src/standalone.config';
import { GatewayConfig } from '../apps/gateway/src/gateway.config';
import { StoreConfig } from '../apps/store/src/store.config';
import { repoRoot } from './support/stack';

test('the configuration table matches the config classes', () => {
  const table = readFileSync(path.join(repoRoot, 'docs', 'configuration.md'), 'utf8');
  const documented = new Map<string, string>();
  for (const match of table.matchAll(/^\| `([A-Z_]+)` \| [^|]+ \| ([^|]+) \|/gm)) {
    documented.set(match[1]!, match[2]!.trim());
  }
  const defaults = new Map<string, unknown>();
  for (const schema of [GatewayConfig, DetectorConfig, StoreConfig, StandaloneConfig]) {
    const config = new schema() as object as Record<string, unknown>;
    // A property without @Env() would be a setting no environment variable can change.
    assert.deepEqual(Object.keys(config).sort(), [...variablesOf(schema)].sort(), `${schema.name} declares each`);
    for (const key of variablesOf(schema)) defaults.set(key, config[key]);
  }
  assert.deepEqual([...documented.keys()].sort(), [...defaults.keys()].sort());
  for (const [key, value] of defaults) {
    const cell = documented.get(key)!;
    if (value === undefined) assert.equal(cell, 'unset', key);
    else if (key === 'DETECTOR_WORKERS') assert.equal(cell, 'number of cores', key);
    else assert.equal(cell, `\`${String(value)}\``, key);
  }
});
