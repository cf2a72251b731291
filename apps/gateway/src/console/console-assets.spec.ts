import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConsoleAssets } from './console-assets';

test('the built page and its assets are served by name, with their types; nothing else is', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'console-assets-'));
  try {
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    writeFileSync(path.join(dir, 'assets', 'index-1a2b.js'), 'export {}');
    writeFileSync(path.join(dir, 'assets', 'index-1a2b.css'), 'body{}');
    writeFileSync(path.join(dir, 'assets', 'notes.txt'), 'not a page file');
    const assets = ConsoleAssets.load(dir);

    assert.equal(assets.page?.contentType, 'text/html; charset=utf-8');
    assert.equal(assets.page?.immutable, false);
    assert.equal(assets.asset('index-1a2b.js')?.contentType, 'text/javascript; charset=utf-8');
    assert.equal(assets.asset('index-1a2b.js')?.immutable, true);
    assert.equal(assets.asset('index-1a2b.css')?.body.toString(), 'body{}');
    assert.equal(assets.asset('notes.txt'), undefined);
    assert.equal(assets.asset('../index.html'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unbuilt console has no page', () => {
  assert.equal(ConsoleAssets.load(path.join(tmpdir(), 'no-such-console-build')).page, undefined);
});
