import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueryFailedError } from 'typeorm';
import { classifyDatabaseFault } from './database-fault.classifier';

function queryFailed(code: string): QueryFailedError {
  return new QueryFailedError('SELECT 1', [], Object.assign(new Error(`failed with ${code}`), { code }));
}

test('data exceptions and integrity violations are refused at once as VALIDATION_ERROR', () => {
  for (const code of ['22021', '22P02', '22003', '23502', '23514']) {
    assert.equal(classifyDatabaseFault(queryFailed(code))?.key, 'VALIDATION_ERROR', code);
  }
  assert.equal(classifyDatabaseFault(Object.assign(new Error('raw pg'), { code: '22021' }))?.key, 'VALIDATION_ERROR');
});

test('what a retry may fix stays a fault, races on unique keys and references included', () => {
  for (const code of ['40001', '40P01', '57P01', '08006', '53300', '23505', '23503']) {
    assert.equal(classifyDatabaseFault(queryFailed(code)), undefined, code);
  }
  assert.equal(classifyDatabaseFault(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })), undefined);
  assert.equal(classifyDatabaseFault(new TypeError('not a database error')), undefined);
  assert.equal(classifyDatabaseFault(undefined), undefined);
});
