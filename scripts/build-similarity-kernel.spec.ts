import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assembleKernel, kernelModuleSource, moduleFile } from './build-similarity-kernel';

test('the committed similarity kernel is the assembled similarity-scan.wat (run `npm run kernel`)', async () => {
  assert.equal(readFileSync(moduleFile, 'utf8'), kernelModuleSource(await assembleKernel()));
});
