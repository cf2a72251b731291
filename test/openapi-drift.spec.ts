/** The committed docs/openapi.json changes only together with the code that serves the API: rerun `npm run openapi`. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { apiControllers } from '../apps/gateway/src/api-controllers';
import { buildOpenApiDocument, type Operation } from '../apps/gateway/src/openapi/openapi-document';
import { ErrorCatalogue } from '../libs/contracts/src/errors';
import { repoRoot } from './support/stack';

test('docs/openapi.json matches the document built from the gateway code', () => {
  const committed = JSON.parse(readFileSync(path.join(repoRoot, 'docs', 'openapi.json'), 'utf8'));
  assert.deepEqual(
    JSON.parse(JSON.stringify(buildOpenApiDocument(apiControllers))),
    committed,
    'docs/openapi.json is out of date: run `npm run openapi` and commit the result',
  );
});

test('every operation of both dialects is described, with its error statuses and codes unless public', () => {
  const document = buildOpenApiDocument(apiControllers);
  const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
  const byTag = (tag: string) => operations.filter((operation) => operation.tags.includes(tag));
  assert.equal(byTag('envelope').length, byTag('azure').length);
  for (const operation of [...byTag('envelope'), ...byTag('azure')]) {
    const responses = operation.responses as Record<string, unknown>;
    assert.ok(responses['401'] && responses['429'] && responses['503'], operation.operationId);
    assert.equal(responses.default, undefined, `${operation.operationId} lists its error statuses`);
    assert.equal(operation.security, undefined, `${operation.operationId} needs a key`);
  }
  for (const operation of byTag('health')) assert.deepEqual(operation.security, [], operation.operationId);
});

/** The codes an operation's error answers list, by status (answers shared by routes are named components). */
function errorCodes(operation: Operation, document: Schema): Map<string, string[]> {
  const codes = new Map<string, string[]>();
  for (const [status, answer] of Object.entries(operation.responses as Record<string, Schema>)) {
    if (Number(status) < 400) continue;
    const shared = /^#\/components\/responses\/(\w+)$/.exec(answer.$ref ?? '')?.[1];
    const resolved = shared ? document.components.responses[shared] : answer;
    const schema = resolved.content['application/json'].schema;
    const error = schema.properties.error;
    codes.set(status, error.properties.code.enum);
  }
  return codes;
}
type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('error answers come from the catalogue: every code under its own status, every code some operation answers', () => {
  const document = buildOpenApiDocument(apiControllers);
  const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
  const answered = new Set<string>();
  for (const operation of operations.filter((o) => !o.tags.includes('health'))) {
    const azure = operation.tags.includes('azure');
    for (const [status, codes] of errorCodes(operation, document)) {
      for (const code of codes) {
        const entries = Object.values(ErrorCatalogue).filter((e) => (azure ? e.azureCode : e.code) === code);
        assert.ok(
          entries.some((e) => String(e.status) === status),
          `${operation.operationId}: ${code} under ${status}`,
        );
        if (!azure) answered.add(code);
      }
    }
  }
  // A path that matches no route has no operation to list it under.
  const unanswered = Object.values(ErrorCatalogue)
    .map((e) => e.code)
    .filter((code) => !answered.has(code) && code !== 'ROUTE_NOT_FOUND');
  assert.deepEqual(unanswered, []);
});

test('identify and verify take personGroupId or largePersonGroupId, and detect attributes are optional', () => {
  const document = buildOpenApiDocument(apiControllers) as Schema;
  for (const body of ['IdentifyBody', 'VerifyBody']) {
    const { properties, required } = document.components.schemas[body];
    for (const field of ['personGroupId', 'largePersonGroupId']) {
      assert.equal(properties[field].type, 'string', `${body}.${field}`);
      assert.ok(!required.includes(field), `${body}.${field} is one of two`);
    }
  }
  assert.ok(!document.components.schemas.DetectedFace.required.includes('face_attributes'));
});
