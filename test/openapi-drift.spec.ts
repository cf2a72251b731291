/** The committed docs/openapi.json changes only together with the code that serves the API: rerun `npm run openapi`. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { apiControllers } from '../apps/gateway/src/gateway.module';
import { buildOpenApiDocument } from '../apps/gateway/src/openapi/openapi-document';
import { repoRoot } from './support/stack';

test('docs/openapi.json matches the document built from the gateway code', () => {
  const committed = JSON.parse(readFileSync(path.join(repoRoot, 'docs', 'openapi.json'), 'utf8'));
  assert.deepEqual(
    JSON.parse(JSON.stringify(buildOpenApiDocument(apiControllers))),
    committed,
    'docs/openapi.json is out of date: run `npm run openapi` and commit the result',
  );
});

test('every operation of both dialects is described, with its error shape unless public', () => {
  const document = buildOpenApiDocument(apiControllers);
  const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
  const byTag = (tag: string) => operations.filter((operation) => operation.tags.includes(tag));
  assert.equal(byTag('envelope').length, byTag('azure').length);
  for (const operation of [...byTag('envelope'), ...byTag('azure')]) {
    const responses = operation.responses as Record<string, unknown>;
    assert.ok(responses['401'] && responses['429'] && responses.default, operation.operationId);
    assert.equal(operation.security, undefined, `${operation.operationId} needs a key`);
  }
  for (const operation of byTag('health')) assert.deepEqual(operation.security, [], operation.operationId);
});
