import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricsRegistry } from './metrics';

test('process and Node.js metrics carry the visage_ prefix once', async () => {
  const text = await metricsRegistry.metrics();
  assert.match(text, /^visage_process_cpu_seconds_total /m);
  assert.match(text, /^visage_nodejs_heap_size_used_bytes /m);
  assert.doesNotMatch(text, /visage_process_process_|visage_process_nodejs_/);
});
