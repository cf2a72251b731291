/**
 * `npm test`: runs every compiled spec (unit, beside the code) and e2e suite (test/) with node's test runner,
 * one file at a time, since e2e files start their own services against the real RabbitMQ and Postgres.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const distRoot = path.resolve(__dirname, '..');

function find(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) find(full, out);
    else if (/\.(spec|e2e)\.js$/.test(name)) out.push(full);
  }
  return out;
}

const filter = process.argv.slice(2);
const files = ['libs', 'apps', 'scripts', 'test']
  .map((dir) => path.join(distRoot, dir))
  .filter((dir) => {
    try {
      return statSync(dir).isDirectory();
    } catch {
      return false;
    }
  })
  .flatMap((dir) => find(dir))
  .filter((file) => filter.length === 0 || filter.some((f) => file.includes(f)))
  // Unit specs first: they fail fast and cheaply.
  .sort((a, b) => Number(a.endsWith('.e2e.js')) - Number(b.endsWith('.e2e.js')) || a.localeCompare(b));

if (files.length === 0) {
  console.error('No test files found: run `npm run build` first.');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
