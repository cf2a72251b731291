import assert from 'node:assert/strict';
import { test } from 'node:test';
import 'reflect-metadata';
import { VisageError } from '#contracts';
import { ListQuery } from '../groups/groups.dto';
import { IdentifyBody } from '../identify/identify.dto';
import { createValidationPipe } from './validation';

async function refusal(value: object, metatype: new () => object, type: 'query' | 'body'): Promise<string> {
  try {
    await createValidationPipe().transform(value, { type, metatype });
  } catch (error) {
    assert.ok(error instanceof VisageError);
    assert.equal(error.key, 'VALIDATION_ERROR');
    return error.message;
  }
  throw new Error('accepted');
}

test('one message per bad parameter: what the value must be before how big', async () => {
  assert.equal(await refusal({ top: 'abc' }, ListQuery, 'query'), 'top must be an integer number');
  assert.equal(await refusal({ top: '0' }, ListQuery, 'query'), 'top must not be less than 1');
  assert.equal(
    await refusal({ faceIds: 'x', largePersonGroupId: 5 }, IdentifyBody, 'body'),
    'faceIds must be an array; largePersonGroupId must be a string',
  );
  assert.equal(
    await refusal({ faceIds: ['3f0c0000-0000-4000-8000-000000000000'], personGroupId: 7 }, IdentifyBody, 'body'),
    'personGroupId must be a string',
  );
});
