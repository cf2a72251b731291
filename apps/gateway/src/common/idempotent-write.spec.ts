import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idempotentWrite } from './idempotent-write';

const alpha = { tenantId: 'alpha', requestId: 'trace-1' };
const beta = { tenantId: 'beta', requestId: 'trace-1' };

test('without a key each write has an id of its own, whatever its x-request-id', () => {
  const first = idempotentWrite(alpha, undefined, 'persons.create', 'staff', { name: 'Ada' });
  const second = idempotentWrite(alpha, undefined, 'persons.create', 'staff', { name: 'Ada' });
  assert.notEqual(first.requestId, second.requestId);
  assert.ok(!first.requestId.includes(alpha.requestId));
});

test('a key names the same write within its tenant only', () => {
  const once = idempotentWrite(alpha, 'k-1', 'groups.delete', 'staff');
  assert.deepEqual(idempotentWrite(alpha, 'k-1', 'groups.delete', 'staff'), once);
  assert.notEqual(idempotentWrite(beta, 'k-1', 'groups.delete', 'staff').requestId, once.requestId);
});

test('the fingerprint tells operations, targets and bodies apart, an absent field from a null one too', () => {
  const fingerprint = (...request: Parameters<typeof idempotentWrite>) => idempotentWrite(...request).fingerprint;
  const update = fingerprint(alpha, 'k', 'groups.update', 'staff', { name: 'A' });
  assert.equal(fingerprint(alpha, 'k', 'groups.update', 'staff', { name: 'A', userData: undefined }), update);
  for (const other of [
    fingerprint(alpha, 'k', 'persons.update', 'staff', { name: 'A' }),
    fingerprint(alpha, 'k', 'groups.update', 'other', { name: 'A' }),
    fingerprint(alpha, 'k', 'groups.update', 'staff', { name: 'B' }),
    fingerprint(alpha, 'k', 'groups.update', 'staff', { name: 'A', userData: null }),
  ]) {
    assert.notEqual(other, update);
  }
  const image = Buffer.from('image');
  assert.notEqual(
    fingerprint(alpha, 'k', 'faces.add', { groupId: 'g', personId: 'p' }, image),
    fingerprint(alpha, 'k', 'faces.add', { groupId: 'g', personId: 'p' }, Buffer.from('other')),
  );
});
