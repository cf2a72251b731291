import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VisageError, type ErrorKey } from './errors';

test('fromWire keeps a catalogue key and its message', () => {
  const error = VisageError.fromWire({ key: 'PERSON_NOT_FOUND', message: 'No such person.' });
  assert.equal(error.key, 'PERSON_NOT_FOUND');
  assert.equal(error.entry.status, 404);
  assert.equal(error.message, 'No such person.');
});

test('fromWire turns a key that is no catalogue entry of its own into INTERNAL_ERROR', () => {
  for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'NO_SUCH_KEY']) {
    const error = VisageError.fromWire({ key: key as ErrorKey, message: 'from the wire' });
    assert.equal(error.key, 'INTERNAL_ERROR', key);
    assert.equal(error.entry.status, 500, key);
    assert.equal(error.entry.code, 'INTERNAL_ERROR', key);
  }
});
