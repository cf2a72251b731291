/**
 * Every benchmark writes one JSON file under bench/results, stamped with when and on what machine it ran, so
 * that figures are only compared within one machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../test/support/stack';

export function benchResultPath(file: string): string {
  return path.join(repoRoot, 'bench', 'results', file);
}

export function writeBenchResult(file: string, figures: Record<string, unknown>): void {
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model,
      cores: availableParallelism(),
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    },
    ...figures,
  };
  const target = benchResultPath(file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(report, null, 2)}\n`);
}
