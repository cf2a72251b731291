import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inputRuleBreach } from './input-rules.interceptor';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

test('input without NUL and within the nesting limit passes', () => {
  const request = {
    body: { name: 'Ada', userData: 'badge', faceIds: ['3f0c'], extra: nested(31) },
    query: { start: 'abc' },
    params: { groupId: 'staff' },
    headers: { 'idempotency-key': 'k-1', 'x-multi': ['a', 'b'] },
  };
  assert.equal(inputRuleBreach(request), undefined);
  assert.equal(inputRuleBreach({ body: Buffer.from('a\0b') }), undefined, 'image bytes are not text');
});

test('a NUL anywhere in a string is named with its place', () => {
  assert.equal(inputRuleBreach({ body: { name: 'a\0b' } }), 'body.name must not contain the NUL character (U+0000).');
  assert.match(inputRuleBreach({ body: { a: [{ b: ['ok', 'x\0'] }] } })!, /^body\.a\[0\]\.b\[1\] must not/);
  assert.match(inputRuleBreach({ body: { ['na\0me']: 'x' } })!, /Field names in the body must not contain/);
  assert.match(inputRuleBreach({ query: { start: '\0' } })!, /^query\.start must not/);
  assert.match(inputRuleBreach({ params: { groupId: 'g\0' } })!, /^path\.groupId must not/);
  assert.match(inputRuleBreach({ headers: { 'x-key': ['a', 'b\0'] } })!, /^header\.x-key\[1\] must not/);
});

test('JSON deeper than the limit is refused with the limit in the message, however deep', () => {
  assert.equal(inputRuleBreach({ body: nested(32) }), undefined);
  assert.equal(inputRuleBreach({ body: nested(33) }), 'The body nests objects and arrays deeper than 32 levels.');
  assert.equal(inputRuleBreach({ body: nested(100_000) }), 'The body nests objects and arrays deeper than 32 levels.');
});
