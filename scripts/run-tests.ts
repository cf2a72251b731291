/**
 * `npm test`: runs the compiled test files with node's test runner, one file at a time, tier by tier: unit specs
 * (`.spec`, beside the code), then medium suites (`.medium`: store services against a real Postgres), then e2e
 * suites (`.e2e`, which start their own services against the real RabbitMQ and Postgres). Cheaper tiers fail
 * first. Arguments keep only the files whose path contains one of them.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const distRoot = path.resolve(__dirname, '..');
const tiers = ['spec', 'medium', 'e2e'] as const;

function tierOf(file: string): number {
  return tiers.findIndex((tier) => file.endsWith(`.${tier}.js`));
}

function find(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) find(full, out);
    else if (tierOf(name) >= 0) out.push(full);
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
  .sort((a, b) => tierOf(a) - tierOf(b) || a.localeCompare(b));

if (files.length === 0) {
  console.error('No test files found: run `npm run build` first.');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
