import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readTogether } from './reads-together';

const after = <T>(ms: number, value: T, fail = false) =>
  new Promise<T>((resolve, reject) => setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms));

test('gives the results in the order the reads were given', async () => {
  assert.deepEqual(await readTogether([after(20, 'a'), after(1, 2)] as const), ['a', 2]);
});

test('throws the error of the first failing read in the order given, not of the first to fail', async () => {
  await assert.rejects(readTogether([after(30, 'first', true), after(1, 'second', true)]), /first/);
  await assert.rejects(readTogether([after(30, 'ok'), after(1, 'second', true)]), /second/);
});
